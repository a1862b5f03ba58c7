// A CPU endpoint on a pool of worker threads: how many threads (and
// processes) serve it best is the question to answer by experiment.
//
//   POOL_THREADS     worker threads per process (default 2): the knob "threads"
//   CLUSTER_WORKERS  processes (default 1); more than 1 runs a node:cluster primary
//                    that forks them, all listening on the same port: the knob "processes"
//   PORT             where it listens (default 3200)
//
// GET /health; GET /work?n=<25..36> computes fibonacci(n) on a pool thread.
// The pool is a plain queue in front of a fixed set of threads, so the code
// shows what a pool does. On SIGTERM it stops listening, finishes what it
// has, ends its threads and exits.
import cluster from 'node:cluster';
import http from 'node:http';
import { Worker } from 'node:worker_threads';

const port = Number(process.env.PORT ?? 3200);
const threads = Number(process.env.POOL_THREADS ?? 2);
const processes = Number(process.env.CLUSTER_WORKERS ?? 1);

if (processes > 1 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === processes) console.log(`cpu-pool listening on http://127.0.0.1:${port} (${processes} processes × ${threads} threads)`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (!shuttingDown) console.error(`cpu-pool: worker ${worker.process.pid} exited (${signal ?? code})`);
  });
  let shuttingDown = false;
  process.once('SIGTERM', () => {
    shuttingDown = true;
    console.log('cpu-pool: SIGTERM, stopping the workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  serve();
}

function serve() {
  const source = `
    const { parentPort } = require('node:worker_threads');
    const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    parentPort.on('message', ({ id, n }) => parentPort.postMessage({ id, value: fib(n) }));
  `;
  const idle = [];
  const queue = [];
  const pending = new Map();
  let nextId = 1;
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(source, { eval: true });
    worker.on('message', ({ id, value }) => {
      pending.get(id)?.(value);
      pending.delete(id);
      const next = queue.shift();
      if (next) worker.postMessage(next);
      else idle.push(worker);
    });
    worker.on('error', (error) => console.error(`cpu-pool: thread error: ${error.message}`));
    idle.push(worker);
    return worker;
  });

  function run(n) {
    return new Promise((resolve) => {
      const job = { id: nextId++, n };
      pending.set(job.id, resolve);
      const worker = idle.pop();
      if (worker) worker.postMessage(job);
      else queue.push(job);
    });
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
      return;
    }
    if (url.pathname === '/work') {
      const n = Math.min(36, Math.max(1, Number(url.searchParams.get('n') ?? 27) || 27));
      run(n).then((value) => {
        const text = JSON.stringify({ n, value, pid: process.pid });
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      });
      return;
    }
    response.writeHead(404);
    response.end();
  });
  server.keepAliveTimeout = 5_000;
  server.listen(port, '127.0.0.1', () => {
    if (processes <= 1) console.log(`cpu-pool listening on http://127.0.0.1:${port} (${threads} threads)`);
  });
  process.once('SIGTERM', () => {
    server.close(() => Promise.all(workers.map((worker) => worker.terminate())).then(() => process.exit(0)));
    server.closeIdleConnections();
  });
}
