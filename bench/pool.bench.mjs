// Pool benchmark: what Tunebench's measuring costs. In one process it runs the
// same jobs, with the same threads and jobs in flight, through
//   1. bare piscina with a minimal hand-written worker (bench/bare-pool-worker.mjs),
//   2. bare piscina with Tunebench's built worker (out/main/workers/pool-worker.js),
//   3. the Tunebench pool kind through the Engine, exactly as the app runs it
//      (PiscinaPool, per-job wait/run timing, interval sampling, event-loop
//      probe, the run recorder, the saved record),
// and prints jobs/s and the ratios Tunebench / bare. Rounds rotate the order to
// spread drift (thermal, other processes) across the variants. A ratio is taken
// within each round, between runs seconds apart, and the median of those is
// reported: on a busy machine that is far steadier than a ratio of medians.
//
// Run with `npm run bench:pool` (it builds first).
// Options (env): BENCH_ROUNDS (default 7), BENCH_THREADS (default 2), BENCH_CONCURRENCY (default 8),
// BENCH_SCALE (multiplies the job counts, default 1).
import { promises as fs } from 'node:fs';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

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

const workloads = [
  { label: 'fibonacci(15)', task: { name: 'fibonacci', params: { n: 15 } }, jobs: Math.round(20_000 * scale) },
  { label: 'primes(100,000)', task: { name: 'primes', params: { limit: 100_000 } }, jobs: Math.round(3_000 * scale) },
];

for (const file of [builtWorker, engineEntry]) {
  if (!existsSync(file)) {
    console.error(`pool bench: ${path.relative(root, file)} is missing; run npm run build (npm run bench:pool does).`);
    process.exit(1);
  }
}
const { Engine } = await import(engineEntry);

/**
 * Bare piscina: the same closed loop (concurrency jobs in flight) the pool kind
 * uses, piscina's own timing off and strict FIFO on as PiscinaPool has them,
 * so the only difference left is Tunebench's measuring.
 */
async function barePiscina(workerFile, task, jobs) {
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
}

/** The pool kind through the engine; its summary's throughput covers first submission to last result, like the bare loop. */
async function tunebenchKind(engine, task, jobs) {
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
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-pool-bench-'));
const engine = await Engine.create({ dataDir, workersDir, host: 'cli' });
const cpus = os.cpus();
console.log(`pool bench: node ${process.versions.node}, ${cpus.length} × ${cpus[0]?.model.trim()}, piscina ${Piscina.version}`);
console.log(`threads ${threads}, ${concurrency} jobs in flight, ${rounds} rounds (order rotated); jobs/s are medians over rounds,`);
console.log('ratios are medians of the per-round ratios\n');

const variants = [
  { name: 'bare piscina, minimal worker', run: (w) => barePiscina(bareWorker, w.task, w.jobs) },
  { name: 'bare piscina, built worker', run: (w) => barePiscina(builtWorker, w.task, w.jobs) },
  { name: 'Tunebench pool kind', run: (w) => tunebenchKind(engine, w.task, w.jobs) },
];

const results = [];
try {
  for (const workload of workloads) {
    const samples = variants.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let step = 0; step < variants.length; step++) {
        const index = (round + step) % variants.length;
        samples[index].push(await variants[index].run(workload));
      }
    }
    const [minimal, built, tunebench] = samples;
    const perRound = (baseline) => median(tunebench.map((value, round) => value / baseline[round]));
    results.push({ workload, medians: samples.map(median), samples, vsMinimal: perRound(minimal), vsBuilt: perRound(built) });
  }
} finally {
  await engine.dispose();
  await fs.rm(dataDir, { recursive: true, force: true });
}

for (const { workload, medians, samples, vsMinimal, vsBuilt } of results) {
  console.log(`${workload.label}: ${workload.jobs} jobs per run`);
  variants.forEach((variant, i) => {
    const spread = samples[i].map((v) => Math.round(v)).join(', ');
    console.log(`  ${variant.name.padEnd(30)} ${Math.round(medians[i]).toString().padStart(7)} jobs/s   (rounds: ${spread})`);
  });
  const verdict = (ratio) => `${ratio.toFixed(3)} ${ratio >= 0.95 ? '(target ≥ 0.95 met)' : '(target ≥ 0.95 MISSED)'}`;
  console.log(`  ratio Tunebench / bare minimal worker: ${verdict(vsMinimal)}`);
  console.log(`  ratio Tunebench / bare built worker:   ${verdict(vsBuilt)}\n`);
}
