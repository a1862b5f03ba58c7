// npm run bench:ui — how the workbench copes with big results, measured end to end on the built app:
//   1. a run with 1,000,000 samples: time until its first chart is drawn in Chromium, and the longest task;
//   2. a 64-point sweep: the same for its page;
//   3. runs.compare of two runs with 100,000 per-item samples each, over the web host's WebSocket.
// Targets (issue 7): first chart within 1 s, no task over 50 ms, comparison under 200 ms.
// BENCH_ROUNDS (default 3): page loads per page; TUNEBENCH_BUILD_DIR: measure a build other than out/.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import WebSocket from 'ws';

const repoRoot = path.resolve(import.meta.dirname, '..');
// TUNEBENCH_BUILD_DIR measures another build than out/ (e.g. one made while others rebuild out/).
const buildDir = path.resolve(process.env.TUNEBENCH_BUILD_DIR ?? path.join(repoRoot, 'out'));
const environment = {
  tunebenchVersion: 'bench', host: 'test', node: process.versions.node, v8: process.versions.v8,
  os: process.platform, arch: process.arch, cpuModel: 'bench', cpuCount: 1, totalMemoryMb: 1,
};
const poolSpec = {
  kind: 'pool', name: 'bench', task: { name: 'spin', params: { ms: 1 } },
  pool: { implementation: 'piscina', threads: 2, maxQueue: 1000 }, jobs: 1000, concurrency: 8, sampleIntervalMs: 250, timeLimitSec: 600,
};

/** A small seeded generator so every bench run draws the same data. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function runRecord(id, { seriesPoints, items, scale, seed }) {
  const next = random(seed);
  const t = Array.from({ length: seriesPoints }, (_, i) => i);
  const series = (base) => ({ unit: 'jobs/s', t, v: t.map(() => base * (0.9 + 0.2 * next())) });
  const values = () => Array.from({ length: items }, () => scale * (5 + 10 * next() ** 3));
  return {
    format: 1, id, kind: 'pool', name: id, spec: poolSpec, environment, status: 'completed',
    startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:10:00.000Z', durationMs: seriesPoints,
    summary: {
      throughput: { value: 1000 / scale, unit: 'jobs/s', better: 'higher' },
      runP99: { value: 15 * scale, unit: 'ms', better: 'lower' },
    },
    series: { throughput: series(1000 / scale) },
    events: [],
    distributions: items ? { runMs: { unit: 'ms', observed: items, values: values() }, waitMs: { unit: 'ms', observed: items, values: values() } } : {},
    artifacts: [],
  };
}

function sweepRecord() {
  const threads = [1, 2, 3, 4, 5, 6, 7, 8];
  const concurrency = [1, 2, 4, 8, 16, 32, 64, 128];
  const spec = {
    kind: 'sweep', base: poolSpec, repeats: 3, warmup: 0, order: 'random', seed: 1,
    axes: [{ path: 'pool.threads', values: threads }, { path: 'concurrency', values: concurrency }],
  };
  const points = threads.flatMap((th) => concurrency.map((c) => ({ 'pool.threads': th, concurrency: c })));
  const next = random(7);
  const runs = points.flatMap((settings, point) =>
    [0, 1, 2].map((repeat) => ({
      runId: `sweep-run-${point}-${repeat}`, point, repeat, status: 'completed', durationMs: 1000,
      summary: {
        throughput: { value: Math.min(settings['pool.threads'], 6) * 100 * (0.95 + 0.1 * next()), unit: 'jobs/s', better: 'higher' },
        waitP99: { value: settings.concurrency / settings['pool.threads'] * (0.9 + 0.2 * next()), unit: 'ms', better: 'lower' },
      },
    })),
  );
  return {
    format: 1, id: 'bench-sweep', name: 'bench sweep 8 × 8', spec, environment, status: 'completed',
    startedAt: '2025-01-01T00:00:00.000Z', durationMs: 192_000,
    points: points.map((settings, index) => ({ index, settings })), runs, totalRuns: runs.length,
  };
}

async function startWebHost(dataDir) {
  const child = spawn(process.execPath, [path.join(buildDir, 'main/web.js'), '--port', '0'], {
    cwd: repoRoot, env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      const match = /Tunebench is serving at (\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('exit', (code) => reject(new Error(`web host exited (${code}):\n${output}`)));
  });
  return { url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

/** One contract call over the web host's WebSocket, as the renderer makes it. */
function contractClient(url) {
  const address = new URL(url);
  const socket = new WebSocket(`ws://${address.host}/ws?token=${address.searchParams.get('token')}`);
  const pending = new Map();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type !== 'result') return;
    const { resolve, reject } = pending.get(message.id);
    pending.delete(message.id);
    if (message.envelope.ok) resolve(message.envelope.value);
    else reject(new Error(message.envelope.error.message));
  });
  const open = new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  return {
    async call(name, payload) {
      await open;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ type: 'call', id, name, payload }));
      });
    },
    close: () => socket.close(),
  };
}

/** Opens a page and times its first drawn chart line; long tasks are collected from navigation on. */
async function firstChart(browser, url, selector) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new globalThis.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  await page.waitForSelector(selector, { timeout: 60_000 });
  const firstChartMs = await page.evaluate(() => performance.now());
  await page.waitForTimeout(1_000);
  const longestTaskMs = await page.evaluate(() => Math.max(0, ...window.__longTasks));
  await page.close();
  return { firstChartMs, longestTaskMs };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'tunebench-bench-ui-'));
const results = [];
let host;
let browser;
try {
  await mkdir(path.join(dataDir, 'runs'), { recursive: true });
  await mkdir(path.join(dataDir, 'sweeps'), { recursive: true });
  const big = runRecord('bench-million', { seriesPoints: 1_000_000, items: 0, scale: 1, seed: 1 });
  await writeFile(path.join(dataDir, 'runs', `${big.id}.json`), JSON.stringify(big));
  for (const [id, scale, seed] of [['bench-compare-a', 1, 2], ['bench-compare-b', 1.1, 3]]) {
    const record = runRecord(id, { seriesPoints: 100_000, items: 100_000, scale, seed });
    await writeFile(path.join(dataDir, 'runs', `${id}.json`), JSON.stringify(record));
  }
  const sweep = sweepRecord();
  await writeFile(path.join(dataDir, 'sweeps', `${sweep.id}.json`), JSON.stringify(sweep));

  host = await startWebHost(dataDir);
  const client = contractClient(host.url);
  const compare = async () => {
    const started = performance.now();
    await client.call('runs.compare', { baseline: { runIds: ['bench-compare-a'] }, candidate: { runIds: ['bench-compare-b'] } });
    return performance.now() - started;
  };
  // The host parsed both records when it opened its store; the first call still sorts and blocks both samples.
  const firstCompare = await compare();
  const repeated = [];
  for (let round = 0; round < 5; round++) repeated.push(await compare());
  // Rewritten files are new versions: the store reads and validates both records again, as for runs it has not cached.
  for (const id of ['bench-compare-a', 'bench-compare-b']) {
    const file = path.join(dataDir, 'runs', `${id}.json`);
    await writeFile(file, await readFile(file));
  }
  const rereadCompare = await compare();
  client.close();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const compareRow = (name, ms) => results.push([name, `${ms.toFixed(0)} ms`, '< 200 ms', ms < 200]);
  compareRow('runs.compare, 2 × 100,000 items: first call (records parsed at start)', firstCompare);
  compareRow('runs.compare, 2 × 100,000 items: median of the next 5', median(repeated));
  compareRow('runs.compare, 2 × 100,000 items: files changed on disk (read + validate both)', rereadCompare);

  browser = await chromium.launch({ executablePath: process.env.TUNEBENCH_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  // Each page is opened ROUNDS times in a fresh browser context (no cache), so the spread shows.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const measure = async (url, selector) => {
    const all = [];
    for (let round = 0; round < rounds; round++) all.push(await firstChart(browser, url, selector));
    return all;
  };
  const pageRows = (name, all, firstTarget) => {
    const firsts = all.map((m) => m.firstChartMs);
    const longest = all.map((m) => m.longestTaskMs);
    const list = (values) => values.map((v) => v.toFixed(0)).join(' / ');
    results.push([`${name}: ${firstTarget ? 'first chart' : 'ready'} (median; all rounds: ${list(firsts)})`, `${median(firsts).toFixed(0)} ms`, firstTarget ?? '–', median(firsts) < 1000]);
    results.push([`${name}: longest task (worst; all rounds: ${list(longest)})`, `${Math.max(...longest).toFixed(0)} ms`, firstTarget ? '≤ 50 ms' : '–', Math.max(...longest) <= 50]);
  };
  // Context: the app shell alone, on a page that draws no chart.
  pageRows('baseline, app shell (Compare page, no chart)', await measure(`${host.url}#/compare`, 'h1'));
  pageRows('run with 1,000,000 samples', await measure(`${host.url}#/runs/bench-million`, 'path.recharts-line-curve'), '< 1000 ms');
  pageRows('64-point sweep', await measure(`${host.url}#/sweeps/bench-sweep`, 'path.recharts-line-curve'), '< 1000 ms');
} finally {
  await browser?.close();
  await host?.stop();
  await rm(dataDir, { recursive: true, force: true });
}

const width = Math.max(...results.map(([name]) => name.length));
for (const [name, value, target, met] of results) {
  const verdict = target === '–' ? '' : met ? 'met' : 'MISSED';
  console.log(`${name.padEnd(width)}  ${value.padStart(8)}  target ${target.padEnd(9)}  ${verdict}`.trimEnd());
}
