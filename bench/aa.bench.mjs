// A/A and A/B benchmark of compare and the CI gate: is "significant" right at
// the sample sizes people use? In one process, through the built engine:
//
//   A/A, single runs: K pairs of two identical short pool runs (1 thread, a CPU
//     task); every row of `compare` at its defaults, and the CI gate
//     (`tunebench compare a.json b.json --fail-on-regression 5`, the built CLI).
//   A/A, sweeps: K pairs of two sweeps of the same spec with 5 repeats and 1
//     warm-up each (the README's CI recipe), compared and gated the same way.
//   A/B (power): the same spec on 2 threads as the baseline, the 1-thread runs
//     as the candidate: a real slowdown the gate must find (single runs with
//     --single-run-ok, since their verdicts are only indicative; sweeps as is).
//
// Every comparison is made twice: at the defaults (a side that ran on a busy
// machine makes it inconclusive, and the gate exits 2) and with allowNoisy
// (judged anyway), so a shared machine still yields the statistics' own rates.
// Within a pair the runs go A, A, B, then sweep A, sweep A, sweep B, so the
// two A sides are measured back to back as a CI job would.
//
// Run with `npm run bench:aa` (it builds first).
// Options (env): BENCH_PAIRS (default 20), BENCH_REPEATS (5), BENCH_JOBS (jobs per run, 200),
// BENCH_PRIMES (the task's limit, 300000: about 2 ms a job), BENCH_KEEP=1 (keep the data directory and the compared files).
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const workersDir = path.join(root, 'out/main/workers');
const engineEntry = path.join(root, 'out/main/engine.js');
const cliEntry = path.join(root, 'bin/tunebench.js');

const pairs = Number(process.env.BENCH_PAIRS ?? 20);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const jobs = Number(process.env.BENCH_JOBS ?? 200);
const primes = Number(process.env.BENCH_PRIMES ?? 300_000);
const GATE_PCT = '5';

for (const file of [engineEntry, path.join(workersDir, 'pool-worker.js'), path.join(root, 'out/main/cli.js')]) {
  if (!existsSync(file)) {
    console.error(`aa bench: ${path.relative(root, file)} is missing; run npm run build (npm run bench:aa does).`);
    process.exit(1);
  }
}
const { Engine } = await import(engineEntry);

const spec = (threads) => ({
  kind: 'pool',
  name: `primes(${primes}) on ${threads} thread(s)`,
  task: { name: 'primes', params: { limit: primes } },
  pool: { implementation: 'piscina', threads, maxQueue: 1_000 },
  jobs,
  concurrency: 4,
  sampleIntervalMs: 100,
  timeLimitSec: 60,
});

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-aa-bench-'));
const files = path.join(dataDir, 'files');
await fs.mkdir(files);
const engine = await Engine.create({ dataDir, workersDir, host: 'cli' });

async function run(threads) {
  const { runId } = await engine.call('runs.start', { spec: spec(threads) });
  const record = await engine.runs.wait(runId);
  if (record.status !== 'completed') throw new Error(`run ${runId} ${record.status}: ${record.error?.message ?? ''}`);
  return record;
}

async function sweep(threads) {
  const { sweepId } = await engine.call('sweeps.start', { spec: { kind: 'sweep', base: spec(threads), repeats, warmup: 1 } });
  await engine.studies.sweeps.wait(sweepId);
  const { sweep: record } = await engine.call('sweeps.get', { sweepId });
  if (record.status !== 'completed') throw new Error(`sweep ${sweepId} ${record.status}`);
  return record;
}

/** Writes the JSON report the CLI reads (a run record or a sweep report) and returns its path. */
async function exported(target, name) {
  const file = await engine.call('report.export', { target, format: 'json' });
  const out = path.join(files, `${name}.json`);
  await fs.writeFile(out, file.content);
  return out;
}

function cli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const tally = () => ({
  pairs: 0,
  inconclusive: 0,
  /** Rows with an interval, and significant ones, in the conclusive (quiet) comparisons at the defaults. */
  rows: 0,
  significantRows: 0,
  pairsWithSignificant: 0,
  gateFailures: new Map(),
  rawRows: 0,
  rawSignificantRows: 0,
  rawPairsWithSignificant: 0,
  flagged: new Map(),
  gate: { 0: 0, 1: 0, 2: 0 },
  rawGate: { 0: 0, 1: 0, 2: 0 },
  detected: 0,
  rawDetected: 0,
});
const results = { singleAA: tally(), sweepAA: tally(), singleAB: tally(), sweepAB: tally() };
const busyRuns = { runs: 0, busy: 0, othersCores: [] };

function countRuns(records) {
  for (const record of records) {
    busyRuns.runs++;
    if (record.noise?.verdict === 'busy') busyRuns.busy++;
    if (typeof record.noise?.othersCores === 'number') busyRuns.othersCores.push(record.noise.othersCores);
  }
}

/** One comparison, at the defaults and judged anyway, plus the gate through the CLI both ways. */
async function judge(into, baseline, candidate, baselineFile, candidateFile, { power, singleRun }) {
  into.pairs++;
  const { comparison } = await engine.call('runs.compare', { baseline, candidate });
  const { comparison: raw } = await engine.call('runs.compare', { baseline, candidate, allowNoisy: true });
  const withInterval = (c) => c.rows.filter((row) => row.relCi || row.ci);
  if (comparison.inconclusive) into.inconclusive++;
  else {
    into.rows += withInterval(comparison).length;
    into.significantRows += comparison.rows.filter((row) => row.significant).length;
    if (comparison.rows.some((row) => row.significant)) into.pairsWithSignificant++;
  }
  into.rawRows += withInterval(raw).length;
  const rawSignificant = raw.rows.filter((row) => row.significant);
  into.rawSignificantRows += rawSignificant.length;
  if (rawSignificant.length) into.rawPairsWithSignificant++;
  for (const row of rawSignificant) into.flagged.set(row.metric, (into.flagged.get(row.metric) ?? 0) + 1);
  const extra = singleRun && power ? ['--single-run-ok'] : [];
  const gate = await cli(['compare', baselineFile, candidateFile, '--fail-on-regression', GATE_PCT, ...extra]);
  const rawGate = await cli(['compare', baselineFile, candidateFile, '--fail-on-regression', GATE_PCT, '--allow-noisy', ...extra]);
  for (const [counts, result] of [[into.gate, gate], [into.rawGate, rawGate]]) {
    if (!(result.code in counts)) throw new Error(`tunebench compare exited ${result.code}:\n${result.stdout}`);
    counts[result.code]++;
  }
  if (power) {
    if (gate.code === 1) into.detected++;
    if (rawGate.code === 1) into.rawDetected++;
  } else {
    // The metrics a false alarm named: the lines after "REGRESSION:", "  metric: +x %".
    for (const match of rawGate.stdout.matchAll(/^ {2}([\w.]+): [+-]/gm)) {
      if (rawGate.code === 1) into.gateFailures.set(match[1], (into.gateFailures.get(match[1]) ?? 0) + 1);
    }
  }
}

const startedAt = performance.now();
const loadAverages = [];
try {
  for (let pair = 0; pair < pairs; pair++) {
    loadAverages.push(os.loadavg()[0]);
    const a1 = await run(1);
    const a2 = await run(1);
    const b = await run(2);
    countRuns([a1, a2, b]);
    const [fileA1, fileA2, fileB] = await Promise.all([
      exported({ runId: a1.id }, `p${pair}-a1`),
      exported({ runId: a2.id }, `p${pair}-a2`),
      exported({ runId: b.id }, `p${pair}-b`),
    ]);
    await judge(results.singleAA, { runIds: [a1.id] }, { runIds: [a2.id] }, fileA1, fileA2, { power: false, singleRun: true });
    await judge(results.singleAB, { runIds: [b.id] }, { runIds: [a1.id] }, fileB, fileA1, { power: true, singleRun: true });

    const sweepA1 = await sweep(1);
    const sweepA2 = await sweep(1);
    const sweepB = await sweep(2);
    for (const s of [sweepA1, sweepA2, sweepB]) countRuns(await Promise.all(s.runs.filter((r) => r.repeat >= 0).map((r) => engine.runStore.get(r.runId))));
    const [fileSA1, fileSA2, fileSB] = await Promise.all([
      exported({ sweepId: sweepA1.id }, `p${pair}-sa1`),
      exported({ sweepId: sweepA2.id }, `p${pair}-sa2`),
      exported({ sweepId: sweepB.id }, `p${pair}-sb`),
    ]);
    const point = (s) => ({ sweepId: s.id, point: 0 });
    await judge(results.sweepAA, point(sweepA1), point(sweepA2), fileSA1, fileSA2, { power: false, singleRun: false });
    await judge(results.sweepAB, point(sweepB), point(sweepA1), fileSB, fileSA1, { power: true, singleRun: false });
    const elapsed = (performance.now() - startedAt) / 1000;
    process.stderr.write(`pair ${pair + 1} of ${pairs} done (${elapsed.toFixed(0)} s)\n`);
  }
} finally {
  await engine.dispose();
  if (process.env.BENCH_KEEP) console.error(`kept ${dataDir}`);
  else await fs.rm(dataDir, { recursive: true, force: true });
}

const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');
const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const top = (flagged) =>
  [...flagged]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([metric, count]) => `${metric} ${count}`)
    .join(', ') || 'none';

console.log(`\nA/A and A/B of compare: ${pairs} pairs; primes(${primes}), ${jobs} jobs, 4 in flight; sweeps of ${repeats} repeats + 1 warm-up; gate --fail-on-regression ${GATE_PCT}`);
console.log(`Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
console.log(
  `Machine: ${busyRuns.busy} of ${busyRuns.runs} measured runs busy (others over 0.25 cores); others' cores median ${median(busyRuns.othersCores).toFixed(2)}, ` +
    `max ${Math.max(...busyRuns.othersCores).toFixed(2)}; load average ${Math.min(...loadAverages).toFixed(1)}–${Math.max(...loadAverages).toFixed(1)}`,
);
console.log('\nA/A (false alarms). Defaults: a busy side makes the pair inconclusive (gate exit 2); "judged anyway" is allowNoisy / --allow-noisy on every pair.');
console.log('| test | pairs | conclusive (quiet) | rows significant, conclusive pairs | gate exit 0 / 1 / 2 (defaults) | rows significant, judged anyway | pairs with a significant row, judged anyway | gate failures, judged anyway | rows most often significant, judged anyway |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [name, r] of [['single runs', results.singleAA], ['sweeps, 5 repeats', results.sweepAA]]) {
  const conclusive = r.pairs - r.inconclusive;
  console.log(
    `| ${name} | ${r.pairs} | ${conclusive} | ${r.significantRows} of ${r.rows} (${pct(r.significantRows, r.rows)}) | ${r.gate[0]} / ${r.gate[1]} / ${r.gate[2]} | ` +
      `${r.rawSignificantRows} of ${r.rawRows} (${pct(r.rawSignificantRows, r.rawRows)}) | ${r.rawPairsWithSignificant} of ${r.pairs} | ` +
      `${r.rawGate[1]} of ${r.pairs}${r.gateFailures.size ? ` (${top(r.gateFailures)})` : ''} | ${top(r.flagged)} |`,
  );
}
console.log('\nA/B (power): 2 threads as the baseline, 1 thread as the candidate; detected = the gate exits 1.');
console.log('| test | pairs | conclusive (quiet) | detected, conclusive pairs (defaults) | detected, judged anyway |');
console.log('|---|---|---|---|---|');
for (const [name, r] of [['single runs, --single-run-ok', results.singleAB], ['sweeps, 5 repeats', results.sweepAB]]) {
  const conclusive = r.pairs - r.inconclusive;
  console.log(`| ${name} | ${r.pairs} | ${conclusive} | ${r.detected} of ${conclusive} (${pct(r.detected, conclusive)}) | ${r.rawDetected} of ${r.pairs} (${pct(r.rawDetected, r.pairs)}) |`);
}
