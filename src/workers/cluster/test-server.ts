/**
 * One test-server worker of the cluster (forked by the supervisor with
 * node:cluster; all workers share one port). Answers the experiment
 * endpoints, reports its metrics when the supervisor asks, drains gracefully
 * on shutdown, and obeys the fault commands.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import net from 'node:net';
import { WORKER_SLOT_HEADER } from '../../shared/cluster-protocol.js';
import { EVENT_LOOP_RESOLUTION_MS, LatenessSampler } from '../../shared/event-loop-delay.js';
import { allocateOnHeap, handleRequest, type EndpointContext, type HeapBlock } from './endpoints.js';
import { SERVER_CONFIG_ENV, ServerCommandSchema, ServerConfigSchema, type ServerMessage } from './server-protocol.js';
import { createTaskBackend } from './task-backend.js';
import { ipcChannel, serveProbe } from '../../node/probe/serve.js';

const MB = 1024 * 1024;
/** Idle keep-alive connections get this long to send one more request (answered with Connection: close) while draining. */
const IDLE_DRAIN_GRACE_MS = 500;
/** A worker that cannot hand its last report over in this long exits without it. */
const FINAL_REPORT_TIMEOUT_MS = 1_000;

const config = ServerConfigSchema.parse(JSON.parse(process.env[SERVER_CONFIG_ENV] ?? '{}'));
const tasks = createTaskBackend(config);
// Its batches and replies go to the supervisor, which relays them to the engine tagged with this slot.
if (config.probeIntervalMs > 0) serveProbe(ipcChannel(), { intervalMs: config.probeIntervalMs });
const context: EndpointContext = { slot: config.slot, tasks, retained: [] };

const counters = { requests: 0, errors: 0, latencySumMs: 0, inFlight: 0 };
let draining = false;
const socketLoad = new Map<Socket, number>();
const leaked: HeapBlock[] = [];

const server = http.createServer((request, response) => {
  const started = performance.now();
  counters.inFlight++;
  const socket = request.socket;
  socketLoad.set(socket, (socketLoad.get(socket) ?? 0) + 1);
  response.on('close', () => {
    counters.inFlight--;
    counters.requests++;
    if (response.statusCode >= 500) counters.errors++;
    counters.latencySumMs += performance.now() - started;
    const left = (socketLoad.get(socket) ?? 1) - 1;
    socketLoad.set(socket, left);
    if (draining && left === 0) scheduleIdleClose(socket);
  });
  handleRequest(request, context).then(
    (result) => send(response, result.status, result.body),
    (error: unknown) => send(response, 500, { error: error instanceof Error ? error.message : String(error) }),
  );
});
server.keepAliveTimeout = config.keepAliveTimeoutMs;
server.on('connection', (socket: Socket) => {
  socketLoad.set(socket, 0);
  socket.on('close', () => socketLoad.delete(socket));
});
server.on('clientError', (_error, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  else socket.destroy();
});

const slotHeader = String(config.slot);

function send(response: http.ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  // While draining every answer closes its connection, so clients move to a live worker.
  if (draining) response.setHeader('connection', 'close');
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    // Lets the load generator count answers per worker exactly, whatever happens to this process later.
    [WORKER_SLOT_HEADER]: slotHeader,
  });
  response.end(text);
}

function scheduleIdleClose(socket: Socket): void {
  setTimeout(() => {
    if ((socketLoad.get(socket) ?? 0) === 0) socket.end();
  }, IDLE_DRAIN_GRACE_MS).unref();
}

function drain(timeoutMs: number): void {
  if (draining) return;
  draining = true;
  reply({ type: 'tb-draining' });
  // net.Server's close stops accepting without http.Server's immediate closing of idle sockets.
  net.Server.prototype.close.call(server, () => void exitCleanly());
  for (const [socket, load] of socketLoad) if (load === 0) scheduleIdleClose(socket);
  setTimeout(exitWithLastReport, timeoutMs).unref();
}

async function exitCleanly(): Promise<void> {
  await tasks.close().catch(() => {});
  exitWithLastReport();
}

/** Requests served since the last report would be lost with the process: hand them over first. */
function exitWithLastReport(): void {
  if (!process.connected) process.exit(0);
  setTimeout(() => process.exit(0), FINAL_REPORT_TIMEOUT_MS).unref();
  process.send?.(metrics(), undefined, {}, () => process.exit(0));
}

/**
 * Event-loop delay per metrics interval: a 10 ms timer's lateness, the same
 * measure as the engine's, the generator's and the probe's
 * (shared/event-loop-delay.ts). No tick is lost to a read, so the interval
 * that held a long block shows it.
 */
const delay = new LatenessSampler(EVENT_LOOP_RESOLUTION_MS, () => performance.now(), { maxSamples: 2_000 });
setInterval(() => delay.tick(), EVENT_LOOP_RESOLUTION_MS).unref();

function takeDelayP99(): number {
  return delay.take()?.p99 ?? 0;
}
let lastCpu = process.cpuUsage();
let lastReportAt = performance.now();

function metrics(): ServerMessage {
  const cpu = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  const now = performance.now();
  const memory = process.memoryUsage();
  const message: ServerMessage = {
    type: 'tb-metrics',
    requests: counters.requests,
    errors: counters.errors,
    latencySumMs: counters.latencySumMs,
    cpuUs: cpu.user + cpu.system,
    intervalMs: now - lastReportAt,
    eldP99Ms: takeDelayP99(),
    heapUsedMb: memory.heapUsed / MB,
    rssMb: memory.rss / MB,
    inFlight: counters.inFlight,
  };
  lastReportAt = now;
  counters.requests = 0;
  counters.errors = 0;
  counters.latencySumMs = 0;
  return message;
}

function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // The fault: nothing else runs on this worker's loop meanwhile.
  }
}

function leak(mbPerSecond: number, seconds: number): void {
  let left = seconds;
  const timer = setInterval(() => {
    leaked.push(allocateOnHeap(mbPerSecond));
    if (--left <= 0) clearInterval(timer);
  }, 1_000);
}

function reply(message: ServerMessage): void {
  if (process.connected) process.send?.(message);
}

process.on('message', (raw) => {
  const parsed = ServerCommandSchema.safeParse(raw);
  if (!parsed.success) return; // node:cluster's own internal messages also arrive here.
  const command = parsed.data;
  switch (command.type) {
    case 'tb-metrics':
      // Answer from the timers phase: after a blocked stretch, the delay monitor's overdue tick runs
      // first and records the block, instead of the request being answered in the same poll phase.
      setTimeout(() => reply(metrics()), 0);
      break;
    case 'tb-shutdown':
      drain(command.timeoutMs);
      break;
    case 'tb-block':
      blockEventLoop(command.ms);
      break;
    case 'tb-leak':
      leak(command.mbPerSecond, command.seconds);
      break;
  }
});

// Losing the supervisor means nobody can stop this worker later: leave now.
process.on('disconnect', () => process.exit(0));

server.on('error', (error) => {
  // Only listen errors reach here (request errors stay on their sockets): nothing to serve, so leave.
  const message = `cannot listen on 127.0.0.1:${config.port}: ${error.message}`;
  if (process.connected) process.send?.({ type: 'tb-fatal', message } satisfies ServerMessage, () => process.exit(1));
  else process.exit(1);
});
server.listen({ port: config.port, host: '127.0.0.1' });
