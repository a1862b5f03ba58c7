// Store benchmark: a data directory of years of runs. It writes synthetic run
// records straight to disk, then measures what a user waits for:
//   1. the web host's start (spawn → "Tunebench is serving at" printed), with
//      the runs index present (the usual case) and without it (first start
//      after an upgrade, or a lost index: every record is parsed once);
//   2. the first page of the runs list over the WebSocket (runs.list, 200);
//   3. the web host's resident memory after listing (VmRSS), and its CPU
//      time to be ready;
//   4. `tunebench runs` (the CLI, which opens the same store).
// Two shapes: the 300 runs of ~750 KB each, and 10,000 runs of ~20 KB.
// Targets (issue #12): with 10,000 runs the web host ready within 1.5 s, the
// first page within 200 ms, memory bounded.
//
// Run with `npm run bench:store` (it builds first). Options (env):
// BENCH_RUNS (default 10000), BENCH_BIG_RUNS (300), BENCH_REPEATS (3).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webEntry = path.join(root, 'out/main/web.js');
const cliEntry = path.join(root, 'bin/tunebench.js');
const manyRuns = Number(process.env.BENCH_RUNS ?? 10_000);
const bigRuns = Number(process.env.BENCH_BIG_RUNS ?? 300);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
if (!existsSync(webEntry)) throw new Error(`${webEntry} is missing: run npm run build`);

/** A record shaped like a pool run's: summary, a few series of `points` samples, a distribution. */
function record(index, points) {
  const startedAt = new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString();
  const t = Array.from({ length: points }, (_, i) => i * 250);
  const wave = (k) => t.map((_, i) => Math.round((1000 + 100 * Math.sin(i / 7 + k) + index) * 100) / 100);
  return {
    format: 1,
    id: `run-${String(index).padStart(6, '0')}`,
    kind: 'pool',
    name: `primes 100k · piscina · ${1 + (index % 4)} threads`,
    spec: { kind: 'pool', task: { name: 'primes', params: { limit: 100_000 } }, pool: { implementation: 'piscina', threads: 1 + (index % 4) } },
    environment: { tunebenchVersion: '0.1.0', host: 'cli', node: process.versions.node, v8: process.versions.v8, os: 'linux', arch: 'x64', cpuModel: 'bench', cpuCount: 2, totalMemoryMb: 24_000 },
    status: 'completed',
    startedAt,
    endedAt: startedAt,
    durationMs: points * 250,
    summary: {
      throughput: { value: 1000 + index, unit: 'jobs/s', better: 'higher' },
      'waitMs.p99': { value: 3 + (index % 10), unit: 'ms', better: 'lower' },
      'runMs.p50': { value: 0.6, unit: 'ms', better: 'lower' },
    },
    series: { throughput: { unit: 'jobs/s', t, v: wave(0) }, 'waitMs.p99': { unit: 'ms', t, v: wave(1) }, queueDepth: { unit: 'count', t, v: wave(2) } },
    events: [],
    distributions: { runMs: { unit: 'ms', observed: points * 4, values: wave(3) } },
    artifacts: [],
  };
}

async function writeRuns(dataDir, count, points) {
  const runsDir = path.join(dataDir, 'runs');
  await fs.mkdir(runsDir, { recursive: true });
  let bytes = 0;
  for (let start = 0; start < count; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, count - start) }, async (_, k) => {
        const run = record(start + k, points);
        const text = JSON.stringify(run);
        bytes += text.length;
        await fs.writeFile(path.join(runsDir, `${run.id}.json`), text);
      }),
    );
  }
  return bytes;
}

function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
function rssMbOf(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** Starts the web host on the data dir; ready = its URL printed. Then lists the first page over the socket. */
async function webHostOnce(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, [webEntry, '--port', '0'], { env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /serving at (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', () => reject(new Error(`web host exited: ${output}`)));
  });
  const readyMs = performance.now() - started;
  const cpuReadyMs = cpuMsOf(child.pid);
  const { port, searchParams } = new URL(url);
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${searchParams.get('token')}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const call = (name, payload) =>
    new Promise((resolve) => {
      const id = Math.floor(Math.random() * 1e9);
      const listener = (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'result' && message.id === id) {
          socket.off('message', listener);
          resolve(message.envelope);
        }
      };
      socket.on('message', listener);
      socket.send(JSON.stringify({ type: 'call', id, name, payload }));
    });
  const listStarted = performance.now();
  const page = await call('runs.list', { limit: 200 });
  const firstPageMs = performance.now() - listStarted;
  if (!page.ok) throw new Error(`runs.list failed: ${JSON.stringify(page.error)}`);
  const rssMb = rssMbOf(child.pid);
  socket.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { readyMs, cpuReadyMs, firstPageMs, rssMb, total: page.value.total };
}

function cliRunsMs(dataDir) {
  const started = performance.now();
  execFileSync(process.execPath, [cliEntry, 'runs', '--limit', '20'], { env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir }, stdio: 'ignore' });
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => `${Math.round(ms)} ms`;

async function scenario(label, count, points) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-bench-store-'));
  try {
    const bytes = await writeRuns(dataDir, count, points);
    console.log(`\n${label}: ${count} runs, ${(bytes / 1024 / 1024).toFixed(0)} MB of records (${(bytes / count / 1024).toFixed(0)} KB each)`);
    // First start: no index yet, every record parsed once; it writes the index.
    const cold = await webHostOnce(dataDir);
    console.log(`  web host, no index (first start): ready ${fmt(cold.readyMs)} (CPU ${fmt(cold.cpuReadyMs)}), first page ${fmt(cold.firstPageMs)}, RSS ${cold.rssMb.toFixed(0)} MB, ${cold.total} runs listed`);
    const warm = [];
    for (let i = 0; i < repeats; i++) warm.push(await webHostOnce(dataDir));
    console.log(
      `  web host, with index (median of ${repeats}): ready ${fmt(median(warm.map((w) => w.readyMs)))} (CPU ${fmt(median(warm.map((w) => w.cpuReadyMs)))}), first page ${fmt(median(warm.map((w) => w.firstPageMs)))}, RSS ${median(warm.map((w) => w.rssMb)).toFixed(0)} MB`,
    );
    const cli = [];
    for (let i = 0; i < repeats; i++) cli.push(cliRunsMs(dataDir));
    console.log(`  tunebench runs (median of ${repeats}): ${fmt(median(cli))}`);
    return { label, count, warm, cold, cli };
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

console.log(`store benchmark, Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// ~750 KB: three series of 15,000 points and a distribution of as many.
await scenario('big records', bigRuns, 15_000);
const many = await scenario('many records', manyRuns, 400);
const ready = median(many.warm.map((w) => w.readyMs));
const firstPage = median(many.warm.map((w) => w.firstPageMs));
console.log(`\ntargets with ${manyRuns} runs: web host ready ≤ 1500 ms: ${fmt(ready)} ${ready <= 1500 ? 'HIT' : 'MISS'}; first page ≤ 200 ms: ${fmt(firstPage)} ${firstPage <= 200 ? 'HIT' : 'MISS'}`);
