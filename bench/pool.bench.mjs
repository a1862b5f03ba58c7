// Pool benchmark: what Tunebench's measuring costs. In one process it runs the
// same jobs, with the same threads and jobs in flight, through
//   1. bare piscina with a minimal hand-written worker (bench/bare-pool-worker.mjs),
//   2. bare piscina with Tunebench's built worker (out/main/workers/pool-worker.js),
//   3. the Tunebench pool kind through the Engine, exactly as the app runs it
//      (PiscinaPool, per-job wait/run timing, interval sampling, event-loop
//      probe, the run recorder, the saved record),
// and prints, per variant, jobs/s and the main thread's CPU time per job, and
// the ratios Tunebench / bare of both. Throughput swings with whatever else
// runs on a shared machine; the main thread's CPU per job (its scheduler
// runtime, /proc/self/task/<pid>/schedstat) holds much steadier, so that is the
// figure that decides (issue #11, part 7). Main-thread CPU is counted over a
// whole run (bare: pool creation to destroy; Tunebench: runs.start to the saved
// record) and, per job, as the marginal cost: each variant also makes a short
// run of the same jobs in the same round, and (CPU of the run − CPU of the
// short run) / (jobs − short jobs) leaves out what a run costs once (thread
// start-up, the record), which is shown as "fixed".
//
// Rounds rotate the order to spread drift (thermal, other processes) across the
// variants. A ratio is taken within each round, between runs seconds apart, and
// the median of those is reported: on a busy machine that is far steadier than
// a ratio of medians.
//
// Run with `npm run bench:pool` (it builds first).
// Options (env): BENCH_ROUNDS (default 7), BENCH_THREADS (default 2), BENCH_CONCURRENCY (default 8),
// BENCH_SCALE (multiplies the job counts, default 1).
// Targets: throughput Tunebench / bare built worker ≥ 0.95; main-thread CPU per job Tunebench ≤ 1.05 × bare piscina.
import { promises as fs } from 'node:fs';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { fmt, median, medianRatio, threadCpuMs, verdict } from './cpu.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const workersDir = path.join(root, 'out/main/workers');
const builtWorker = path.join(workersDir, 'pool-worker.js');
const bareWorker = path.join(here, 'bare-pool-worker.mjs');
const engineEntry = path.join(root, 'out/main/engine.js');

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const threads = Number(process.env.BENCH_THREADS ?? 2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const THROUGHPUT_TARGET = 0.95;
const CPU_TARGET = 1.05;

const workloads = [
  { label: 'fibonacci(15)', task: { name: 'fibonacci', params: { n: 15 } }, jobs: Math.round(20_000 * scale) },
  { label: 'primes(100,000)', task: { name: 'primes', params: { limit: 100_000 } }, jobs: Math.round(3_000 * scale) },
].map((workload) => ({ ...workload, shortJobs: Math.max(concurrency, Math.round(workload.jobs / 20)) }));

for (const file of [builtWorker, engineEntry]) {
  if (!existsSync(file)) {
    console.error(`pool bench: ${path.relative(root, file)} is missing; run npm run build (npm run bench:pool does).`);
    process.exit(1);
  }
}
const { Engine } = await import(engineEntry);

/**
 * The main thread's CPU time so far, ms: its scheduler runtime from /proc
 * (the main thread's tid is the pid). Elsewhere than Linux, the event loop's
 * active time (performance.eventLoopUtilization), which also counts time the
 * thread waited for a core.
 */
const mainThreadSource = threadCpuMs() !== undefined ? 'CPU time, /proc/self/task/<pid>/schedstat' : 'event-loop active time (no /proc)';
const mainThreadCpuMs = () => threadCpuMs() ?? performance.eventLoopUtilization().active;

/** Runs fn and returns its result with the main thread's CPU time it took. */
async function withMainThreadCpu(fn) {
  const before = mainThreadCpuMs();
  const rate = await fn();
  return { rate, cpuMs: mainThreadCpuMs() - before };
}

/**
 * Bare piscina: the same closed loop (concurrency jobs in flight) the pool kind
 * uses, piscina's own timing off and strict FIFO on as PiscinaPool has them,
 * so the only difference left is Tunebench's measuring. Throughput is over the
 * jobs; main-thread CPU from creating the pool to destroying it.
 */
function barePiscina(workerFile, task, jobs) {
  return withMainThreadCpu(async () => {
    const pool = new Piscina({
      filename: workerFile,
      minThreads: threads,
      maxThreads: threads,
      recordTiming: false,
      stricterFIFO: true,
    });
    try {
      const startedAt = performance.now();
      await new Promise((resolve, reject) => {
        let submitted = 0;
        let done = 0;
        const submit = () => {
          while (submitted < jobs && submitted - done < concurrency) {
            submitted++;
            pool.run(task).then(onDone, reject);
          }
        };
        const onDone = () => {
          done++;
          if (done === jobs) resolve();
          else submit();
        };
        submit();
      });
      return jobs / ((performance.now() - startedAt) / 1000);
    } finally {
      await pool.destroy();
    }
  });
}

/**
 * The pool kind through the engine; its summary's throughput covers the
 * measured window (after the warm-up), first submission to last result.
 * Main-thread CPU from runs.start to the saved record, all jobs included.
 */
function tunebenchKind(engine, task, jobs) {
  return withMainThreadCpu(async () => {
    const spec = {
      kind: 'pool',
      task,
      pool: { implementation: 'piscina', threads, maxQueue: 1_000 },
      jobs,
      concurrency,
      sampleIntervalMs: 250,
    };
    const { runId } = await engine.call('runs.start', { spec });
    const record = await engine.runs.wait(runId);
    if (record.status !== 'completed' || record.summary.completed.value !== jobs) {
      throw new Error(`pool kind run ended ${record.status}: ${record.error?.message ?? `${record.summary.completed.value} of ${jobs} jobs`}`);
    }
    return record.summary.throughput.value;
  });
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-pool-bench-'));
const engine = await Engine.create({ dataDir, workersDir, host: 'cli' });
const cpus = os.cpus();
console.log(`pool bench: node ${process.versions.node}, ${cpus.length} × ${cpus[0]?.model.trim()}, piscina ${Piscina.version}`);
console.log(`threads ${threads}, ${concurrency} jobs in flight, ${rounds} rounds (order rotated); figures are medians over rounds,`);
console.log(`ratios are medians of the per-round ratios; main thread: ${mainThreadSource}\n`);

const variants = [
  { name: 'bare piscina, minimal worker', run: (task, jobs) => barePiscina(bareWorker, task, jobs) },
  { name: 'bare piscina, built worker', run: (task, jobs) => barePiscina(builtWorker, task, jobs) },
  { name: 'Tunebench pool kind', run: (task, jobs) => tunebenchKind(engine, task, jobs) },
];

const results = [];
try {
  for (const workload of workloads) {
    const samples = variants.map(() => ({ rate: [], cpuPerJobUs: [], marginalUs: [], fixedMs: [] }));
    // Untimed: the first run of each variant pays for compiling its code paths.
    for (const variant of variants) await variant.run(workload.task, workload.shortJobs);
    for (let round = 0; round < rounds; round++) {
      for (let step = 0; step < variants.length; step++) {
        const index = (round + step) % variants.length;
        // The short run right before the full one, so both meet the same machine.
        const short = await variants[index].run(workload.task, workload.shortJobs);
        const full = await variants[index].run(workload.task, workload.jobs);
        const marginalMs = (full.cpuMs - short.cpuMs) / (workload.jobs - workload.shortJobs);
        const sample = samples[index];
        sample.rate.push(full.rate);
        sample.cpuPerJobUs.push((full.cpuMs / workload.jobs) * 1000);
        sample.marginalUs.push(marginalMs * 1000);
        sample.fixedMs.push(full.cpuMs - marginalMs * workload.jobs);
      }
    }
    results.push({ workload, samples });
  }
} finally {
  await engine.dispose();
  await fs.rm(dataDir, { recursive: true, force: true });
}

const list = (values, digits = 0) => values.map((v) => fmt(v, digits)).join(', ');
for (const { workload, samples } of results) {
  console.log(`${workload.label}: ${workload.jobs} jobs per run (short runs for the fixed cost: ${workload.shortJobs} jobs)`);
  console.log(`  ${'variant'.padEnd(30)} ${'jobs/s'.padStart(7)}   main-thread CPU: ${'µs/job'.padStart(6)} ${'marginal'.padStart(8)} ${'fixed'.padStart(8)}`);
  variants.forEach((variant, i) => {
    const s = samples[i];
    console.log(
      `  ${variant.name.padEnd(30)} ${fmt(median(s.rate)).padStart(7)}                    ${fmt(median(s.cpuPerJobUs), 1).padStart(6)} ${fmt(median(s.marginalUs), 1).padStart(8)} ${`${fmt(median(s.fixedMs), 1)} ms`.padStart(8)}`,
    );
    console.log(`      rounds: ${list(s.rate)} jobs/s; marginal ${list(s.marginalUs, 1)} µs/job`);
  });
  const [minimal, built, tunebench] = samples;
  for (const [label, bare] of [
    ['bare built worker  ', built],
    ['bare minimal worker', minimal],
  ]) {
    const throughput = medianRatio(tunebench.rate, bare.rate);
    const cpu = medianRatio(tunebench.marginalUs, bare.marginalUs);
    const whole = medianRatio(tunebench.cpuPerJobUs, bare.cpuPerJobUs);
    console.log(
      `  Tunebench / ${label}: throughput ${fmt(throughput, 3)} (≥ ${THROUGHPUT_TARGET}: ${verdict(throughput, { atLeast: THROUGHPUT_TARGET })}); ` +
        `main-thread CPU per job ${fmt(cpu, 3)} (≤ ${CPU_TARGET}: ${verdict(cpu, { atMost: CPU_TARGET })}); whole run, fixed cost included ${fmt(whole, 3)}`,
    );
  }
  console.log('');
}
