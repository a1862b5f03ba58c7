// Load generator benchmark: starts the built test-server cluster and measures
// it, in the same run, with three generators, each a process of its own:
// Tunebench (the load kind through the built engine against a url target,
// bench/load-process.mjs), autocannon (its API, same script) and wrk (skipped
// with a message if absent), at the same connections and duration; then an
// open loop at 80 % of the measured maximum. Besides throughput it reads each
// generator process's CPU time from /proc/<pid>/stat and divides it by the
// requests it made: CPU per request holds steady where throughput swings with
// the other processes on a shared 2-core machine (issue #11, part 7).
// Run with `npm run bench:load` (it builds first). Targets 127.0.0.1 only.
//
// Each setting runs several rounds with the tools in rotated order. Ratios are
// the median of the per-round ratios; the table shows each tool's median round.
//
// Options (env): BENCH_CONNECTIONS (default 50), BENCH_DURATION_SEC (default 4), BENCH_ROUNDS (default 3).
// Targets: generator CPU per request, Tunebench <= autocannon's and <= 2 x wrk's; throughput as printed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median as medianOf, medianRatio, verdict } from './cpu.mjs';
import { hasWrk, runNodeGenerator, runWrk } from './generators.mjs';

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

const generatorSettings = (url, extra = {}) => ({ url, path: endpoint, connections, durationSec, ...extra });

/** The round with the median throughput (its latencies come with it). */
function medianRound(results) {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)];
}

function printTable(title, rows) {
  console.log(`\n${title}`);
  console.log('tool        req/s     p50 ms   p99 ms   errors   generator CPU µs/req (median of rounds)');
  for (const [name, r] of rows) {
    if (!r) {
      console.log(`${name.padEnd(10)}  skipped (wrk is not installed: apt-get install wrk)`);
      continue;
    }
    console.log(
      `${name.padEnd(10)}  ${fmt(r.rps).padStart(7)}  ${fmt(r.p50, 2).padStart(7)}  ${fmt(r.p99, 2).padStart(7)}  ${String(r.errors).padStart(7)}   ${fmt(r.cpuUsPerRequest, 1).padStart(6)}`,
    );
  }
}

async function measure(workers) {
  const cluster = await startCluster(workers);
  try {
    // One untimed pass so every tool meets a warmed-up (JIT-compiled) server.
    await runNodeGenerator('tunebench', generatorSettings(cluster.url, { durationSec: 2 }));
    const tools = {
      tunebench: () => runNodeGenerator('tunebench', generatorSettings(cluster.url)),
      autocannon: () => runNodeGenerator('autocannon', generatorSettings(cluster.url)),
    };
    if (hasWrk) tools.wrk = () => runWrk(generatorSettings(cluster.url));
    const names = Object.keys(tools);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotating the order spreads the machine's drifting background load over every tool.
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        samples[name].push(await tools[name]());
      }
    }
    const results = Object.fromEntries(
      names.map((name) => [name, { ...medianRound(samples[name]), cpuUsPerRequest: medianOf(samples[name].map((r) => r.cpuUsPerRequest)) }]),
    );
    if (!hasWrk) results.wrk = undefined;
    printTable(
      `${workers} server worker(s), ${connections} connections, ${durationSec} s × ${rounds} rounds (median round by req/s), GET ${endpoint}`,
      Object.entries(results),
    );
    for (const name of names) {
      console.log(`  ${name} rounds: ${samples[name].map((r) => fmt(r.rps)).join(', ')} req/s; ${samples[name].map((r) => fmt(r.cpuUsPerRequest, 1)).join(', ')} µs CPU/req`);
    }
    const tb = samples.tunebench;
    console.log(`  tunebench generator thread alone (its own figure): ${tb.map((r) => fmt(r.generatorThreadCpuUsPerRequest, 1)).join(', ')} µs/req`);
    if (results.tunebench.limited) console.log(`  tunebench marked the median run limited by: ${results.tunebench.limited}`);
    // Per-round ratios: each round's tools ran seconds apart.
    const ratios = {};
    for (const [a, b] of [
      ['tunebench', 'autocannon'],
      ['tunebench', 'wrk'],
      ['autocannon', 'wrk'],
    ]) {
      if (!samples[a] || !samples[b]) continue;
      ratios[`${a}/${b}`] = {
        rps: medianRatio(samples[a].map((r) => r.rps), samples[b].map((r) => r.rps)),
        cpu: medianRatio(samples[a].map((r) => r.cpuUsPerRequest), samples[b].map((r) => r.cpuUsPerRequest)),
      };
    }
    console.log(
      `  median per-round ratios: ${Object.entries(ratios)
        .map(([pair, r]) => `${pair} throughput ${fmt(r.rps, 2)}, CPU/req ${fmt(r.cpu, 2)}`)
        .join('; ')}`,
    );
    return { cluster, results, ratios };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

async function main() {
  if (!existsSync(path.join(workersDir, 'load-generator.js'))) throw new Error('out/main/workers is missing: run npm run build');
  console.log(`Tunebench load bench: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`);
  console.log('each generator is a process of its own; its CPU time is read from /proc/<pid>/stat');
  if (!hasWrk) console.log('wrk not found: its rows are skipped (Debian: apt-get install wrk)');

  const one = await measure(1);
  const best = Math.max(one.results.tunebench.rps, one.results.wrk?.rps ?? 0, one.results.autocannon.rps);
  const rate = Math.round(best * 0.8);
  const open = await runNodeGenerator('tunebench', generatorSettings(one.cluster.url, { mode: 'open', rate }));
  await one.cluster.stop();
  console.log(
    `\nopen loop at 80 % of the measured maximum (${rate} req/s) on 1 worker: achieved ${fmt(open.rps)} req/s (${fmt((open.rps / rate) * 100, 1)} %), ` +
      `p50 ${fmt(open.p50, 2)} ms, p99 ${fmt(open.p99, 2)} ms, generator CPU ${fmt(open.cpuUsPerRequest, 1)} µs/req${open.limited ? `; limited by: ${open.limited}` : ''}`,
  );

  const two = await measure(2);
  await two.cluster.stop();

  const line = (label, value, target) => console.log(`  ${label} → ${fmt(value, 2)}× ${verdict(value, target)}`);
  console.log('\ntargets (median per-round ratios):');
  for (const [label, run] of [
    ['1 worker', one],
    ['2 workers', two],
  ]) {
    line(`${label}: generator CPU per request, tunebench ≤ 1.0× autocannon`, run.ratios['tunebench/autocannon'].cpu, { atMost: 1 });
    if (run.ratios['tunebench/wrk']) line(`${label}: generator CPU per request, tunebench ≤ 2.0× wrk`, run.ratios['tunebench/wrk'].cpu, { atMost: 2 });
  }
  if (one.ratios['tunebench/wrk']) line('1 worker: throughput, tunebench ≥ 0.9× wrk', one.ratios['tunebench/wrk'].rps, { atLeast: 0.9 });
  line('2 workers: throughput, tunebench ≥ 1.0× autocannon', two.ratios['tunebench/autocannon'].rps, { atLeast: 1 });
  if (two.ratios['tunebench/wrk']) console.log(`  2 workers: throughput, aim 0.6× wrk → ${fmt(two.ratios['tunebench/wrk'].rps, 2)}×`);
  const achieved = open.rps / rate;
  console.log(`  open loop within 2 % of ${rate} req/s → ${fmt(achieved * 100, 1)} % ${Math.abs(achieved - 1) <= 0.02 ? 'HIT' : 'MISS'}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
