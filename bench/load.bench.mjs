// Load generator benchmark: starts the built test-server cluster and measures
// it, in the same run, with the Tunebench closed-loop generator, the
// autocannon CLI and wrk (skipped with a message if absent), at the same
// connections and duration; then an open loop at 80 % of the measured maximum.
// Run with `npm run bench:load` (it builds first). Targets 127.0.0.1 only.
//
// The machine is shared and noisy, so each setting runs several rounds with
// the tools in rotated order, and the median of each tool's rounds is shown.
//
// Options (env): BENCH_CONNECTIONS (default 50), BENCH_DURATION_SEC (default 4), BENCH_ROUNDS (default 3).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workersDir = path.join(root, 'out/main/workers');
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const endpoint = '/health';

function clusterSettings(workers) {
  return {
    workers,
    port: 0,
    scheduling: 'round-robin',
    keepAliveTimeoutMs: 5_000,
    poolThreads: 1,
    offload: true,
    shutdownTimeoutMs: 2_000,
    metricsIntervalMs: 1_000,
    restart: { initialBackoffMs: 100, maxBackoffMs: 15_000, stableAfterMs: 30_000, crashLoopCount: 5, crashLoopWindowMs: 60_000 },
    health: {
      errorRate: { enabled: false, threshold: 0.1, minRequests: 100 },
      eventLoopDelay: { enabled: false, p99Ms: 2_000 },
      heap: { enabled: false, limitMb: 1_024 },
    },
  };
}

/** The same supervisor the engine starts, driven over its IPC channel. */
async function startCluster(workers) {
  const supervisor = spawn(process.execPath, [path.join(workersDir, 'cluster-supervisor.js')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const ready = new Promise((resolve, reject) => {
    supervisor.on('message', (message) => {
      if (message.type === 'ready') resolve(message);
      if (message.type === 'fatal') reject(new Error(message.message));
    });
    supervisor.once('exit', (code) => reject(new Error(`supervisor exited with ${code}`)));
  });
  supervisor.send({ type: 'start', serverEntry: path.join(workersDir, 'test-server.js'), settings: clusterSettings(workers) });
  const { port } = await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const closed = new Promise((resolve) => supervisor.once('close', resolve));
      supervisor.send({ type: 'shutdown' });
      const timer = setTimeout(() => process.kill(-supervisor.pid, 'SIGKILL'), 5_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

function tunebench(url, load) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(workersDir, 'load-generator.js'), {
      workerData: {
        origin: url,
        basePath: '',
        sampleIntervalMs: 1_000,
        settings: { connections, durationSec, warmupSec: 0, timeoutMs: 10_000, mix: [{ method: 'GET', path: endpoint, weight: 1 }], ...load },
      },
    });
    worker.on('message', (message) => {
      if (message.type === 'done') resolve(message.result);
      if (message.type === 'failed') reject(new Error(message.message));
    });
    worker.on('error', reject);
  }).then((result) => ({
    rps: result.rps,
    p50: result.latencyMs.p50,
    p99: result.latencyMs.p99,
    errors: Object.values(result.errors).reduce((a, b) => a + b, 0),
    limited: result.generatorLimitedReasons.join('; '),
    cpuUsPerRequest: result.cpuUsPerRequest,
    requestedRate: result.requestedRate,
  }));
}

function runTool(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function autocannon(url) {
  const cli = path.join(root, 'node_modules/autocannon/autocannon.js');
  const out = await runTool(process.execPath, [cli, '-c', String(connections), '-d', String(durationSec), '-j', url + endpoint]);
  const json = JSON.parse(out);
  return { rps: json.requests.total / json.duration, p50: json.latency.p50, p99: json.latency.p99, errors: json.errors + json.non2xx };
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/** wrk prints latencies like 1.23ms / 850.00us / 1.02s. */
function wrkMs(text) {
  const match = /([\d.]+)(us|ms|s)\b/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

async function wrk(url) {
  const out = await runTool('wrk', ['-t1', `-c${connections}`, `-d${durationSec}s`, '--latency', url + endpoint]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = wrkMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = wrkMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, errors };
}

/** The round with the median throughput (its latencies come with it). */
function median(results) {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)];
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function printTable(title, rows) {
  console.log(`\n${title}`);
  console.log('tool        req/s     p50 ms   p99 ms   errors');
  for (const [name, r] of rows) {
    if (!r) {
      console.log(`${name.padEnd(10)}  skipped (wrk is not installed: apt-get install wrk)`);
      continue;
    }
    console.log(`${name.padEnd(10)}  ${fmt(r.rps).padStart(7)}  ${fmt(r.p50, 2).padStart(7)}  ${fmt(r.p99, 2).padStart(7)}  ${String(r.errors).padStart(7)}`);
  }
}

async function measure(workers) {
  const cluster = await startCluster(workers);
  try {
    // One untimed pass so every tool meets a warmed-up (JIT-compiled) server.
    await tunebench(cluster.url, { mode: 'closed', durationSec: 2 });
    const tools = { tunebench: () => tunebench(cluster.url, { mode: 'closed' }), autocannon: () => autocannon(cluster.url) };
    if (hasWrk) tools.wrk = () => wrk(cluster.url);
    const names = Object.keys(tools);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotating the order spreads the machine's drifting background load over every tool.
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        samples[name].push(await tools[name]());
      }
    }
    const results = Object.fromEntries(names.map((name) => [name, median(samples[name])]));
    if (!hasWrk) results.wrk = undefined;
    printTable(
      `${workers} server worker(s), ${connections} connections, ${durationSec} s × ${rounds} rounds (median by req/s), GET ${endpoint}`,
      Object.entries(results),
    );
    for (const name of names) console.log(`  ${name} rounds: ${samples[name].map((r) => fmt(r.rps)).join(', ')} req/s`);
    if (results.tunebench.limited) console.log(`tunebench marked the run generator-limited: ${results.tunebench.limited}`);
    console.log(`tunebench generator CPU per request: ${fmt(results.tunebench.cpuUsPerRequest, 1)} µs`);
    const ratio = (a, b) => (a && b ? fmt(a.rps / b.rps, 2) : '—');
    console.log(`ratios: tunebench/autocannon ${ratio(results.tunebench, results.autocannon)}, tunebench/wrk ${ratio(results.tunebench, results.wrk)}, autocannon/wrk ${ratio(results.autocannon, results.wrk)}`);
    return { cluster, results };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

async function main() {
  if (!existsSync(path.join(workersDir, 'load-generator.js'))) throw new Error('out/main/workers is missing: run npm run build');
  console.log(`Tunebench load bench: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`);
  if (!hasWrk) console.log('wrk not found: its rows are skipped (Debian: apt-get install wrk)');

  const one = await measure(1);
  const best = Math.max(one.results.tunebench.rps, one.results.wrk?.rps ?? 0, one.results.autocannon.rps);
  const rate = Math.round(best * 0.8);
  const open = await tunebench(one.cluster.url, { mode: 'open', rate });
  await one.cluster.stop();
  console.log(`\nopen loop at 80 % of the measured maximum (${rate} req/s) on 1 worker: achieved ${fmt(open.rps)} req/s (${fmt((open.rps / rate) * 100, 1)} %), p50 ${fmt(open.p50, 2)} ms, p99 ${fmt(open.p99, 2)} ms${open.limited ? `; generator-limited: ${open.limited}` : ''}`);

  const two = await measure(2);
  await two.cluster.stop();

  const t1 = one.results;
  const t2 = two.results;
  console.log('\ntargets:');
  if (t1.wrk) console.log(`  1 worker: tunebench ≥ 0.9× wrk → ${fmt(t1.tunebench.rps / t1.wrk.rps, 2)}× ${t1.tunebench.rps >= 0.9 * t1.wrk.rps ? 'MET' : 'MISSED'}`);
  console.log(`  2 workers: tunebench ≥ 1.0× autocannon → ${fmt(t2.tunebench.rps / t2.autocannon.rps, 2)}× ${t2.tunebench.rps >= t2.autocannon.rps ? 'MET' : 'MISSED'}`);
  if (t2.wrk) console.log(`  2 workers: aim 0.6× wrk → ${fmt(t2.tunebench.rps / t2.wrk.rps, 2)}×`);
  console.log(`  open loop within 2 % of ${rate} req/s → ${fmt((open.rps / rate) * 100, 1)} % ${Math.abs(open.rps / rate - 1) <= 0.02 ? 'MET' : 'MISSED'}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
