// npm run bench:pool-ui [-- --jobs 100000 --threads 2 --task spin|fibonacci] (or node bench/pool-ui.bench.mjs after npm run build)
// Does a big pool run keep the Pool page responsive? Starts the built web host on a temporary data
// directory, runs the pool experiment from the page in Debian's Chromium, and reports the renderer's
// long tasks while it runs: wall time (what the user feels, including time the OS gave to other
// processes) and the renderer main thread's own CPU time in that task (what the page's code cost).
// Target (issue 3): no renderer task over 50 ms caused by charts.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const repoRoot = path.resolve(import.meta.dirname, '..');
// TUNEBENCH_BUILD_DIR measures another build than out/ (e.g. one made while others rebuild out/).
const buildDir = path.resolve(process.env.TUNEBENCH_BUILD_DIR ?? path.join(repoRoot, 'out'));
const { values: options } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    threads: { type: 'string', default: '2' },
    task: { type: 'string', default: 'spin' },
  },
});
const params = { spin: ['Milliseconds', '0'], fibonacci: ['n', '10'] }[options.task];
if (!params) {
  console.error('pool-ui bench: --task must be spin (spin(0)) or fibonacci (fibonacci(10))');
  process.exit(2);
}

function startHost(dataDir) {
  const child = spawn(process.execPath, [path.join(buildDir, 'main/web.js'), '--port', '0'], {
    env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /Tunebench is serving at (\S+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the web host exited (${code}); run npm run build first`)));
  });
  return { child, url };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'tunebench-pool-ui-'));
const traceFile = path.join(dataDir, 'trace.json');
const host = startHost(dataDir);
const browser = await chromium.launch({
  executablePath: process.env.TUNEBENCH_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(await host.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pool' }).click();
  await page.getByLabel('Task').selectOption(options.task);
  await page.getByLabel(params[0], { exact: true }).fill(params[1]);
  await page.getByLabel('Threads').fill(options.threads);
  await page.getByLabel('Jobs').fill(options.jobs);
  await browser.startTracing(page, {
    path: traceFile,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  const startedAt = performance.now();
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByRole('link', { name: 'Open saved run' }).waitFor({ timeout: 600_000 });
  const runMs = performance.now() - startedAt;
  await page.waitForTimeout(1_500);
  await browser.stopTracing();
  const throughput = await page
    .getByRole('table', { name: 'Summary', exact: true })
    .getByRole('row', { name: /^Throughput/ })
    .innerText();

  const events = JSON.parse(await readFile(traceFile, 'utf8')).traceEvents;
  const rendererMain = events.find(
    (event) => event.name === 'thread_name' && event.args.name === 'CrRendererMain' && events.some((other) => other.pid === event.pid && other.name === 'FunctionCall'),
  );
  const tasks = events.filter(
    (event) => event.name === 'RunTask' && event.ph === 'X' && event.pid === rendererMain.pid && event.tid === rendererMain.tid,
  );
  const ms = (us) => Math.round((us ?? 0) / 1000);
  const byCpu = [...tasks].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0));
  const byWall = [...tasks].sort((a, b) => b.dur - a.dur);
  console.log(`pool-ui bench: ${options.jobs} × ${options.task}(${params[1]}) on ${options.threads} threads, run took ${Math.round(runMs)} ms (${throughput.replace(/\s+/g, ' ')})`);
  console.log(`renderer main thread: ${tasks.length} tasks, ${ms(tasks.reduce((sum, task) => sum + (task.tdur ?? 0), 0))} ms CPU in all`);
  console.log(`  over 50 ms wall: ${tasks.filter((task) => task.dur > 50_000).length}; over 50 ms CPU: ${tasks.filter((task) => (task.tdur ?? 0) > 50_000).length}`);
  console.log(`  longest by CPU (CPU/wall ms): ${byCpu.slice(0, 8).map((task) => `${ms(task.tdur)}/${ms(task.dur)}`).join(', ')}`);
  console.log(`  longest by wall (wall/CPU ms): ${byWall.slice(0, 8).map((task) => `${ms(task.dur)}/${ms(task.tdur)}`).join(', ')}`);
} finally {
  await browser.close();
  host.child.kill('SIGTERM');
  await new Promise((resolve) => host.child.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
}
