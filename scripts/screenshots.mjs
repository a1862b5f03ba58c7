#!/usr/bin/env node
/**
 * Screenshots of every page for the README, each after a real, short run.
 *
 *   npm run build && node scripts/screenshots.mjs [--out docs/screenshots] [--only pool,load,…] [--keep]
 *
 * Starts the built web host (out/main/web.js) on a fresh temporary data
 * directory, prepares a small sweep of the orders-api example service with the
 * CLI, then drives Debian's Chromium (/usr/bin/chromium) at 1400×900 through
 * Pool, Load, Database, Memory, Event Loop, Services, Runs, Compare, Sweeps and
 * Settings. Everything it loads is on 127.0.0.1. A step that fails is reported
 * (with a screenshot of where it stood, in the data directory) and the others
 * go on; the exit code is 1 when any failed. --keep leaves the data directory.
 * Takes a few minutes on two cores.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(repoRoot, 'docs', 'screenshots') },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const outDir = path.resolve(options.out);
const only = options.only ? new Set(options.only.split(',')) : undefined;
const examples = path.join(repoRoot, 'examples');
const ordersServices = path.join(examples, 'orders-api', 'tunebench.services.json');

const SECOND = 1_000;
/** A service started elsewhere, busy in a function its CPU profile should show. */
const BUSY_SERVICE =
  'function handleRequest() { let x = 0; for (let i = 0; i < 2e5; i++) x += Math.sqrt(i); return x; }' +
  ' function renderReport() { return JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ i, v: handleRequest() % 7 }))); }' +
  ' setInterval(() => (Math.random() < 0.1 ? renderReport() : handleRequest()), 2);';
const log = (line) => process.stdout.write(`${line}\n`);

/** Runs the CLI on the data directory and resolves with its output; rejects on a non-zero exit. */
function cli(dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'tunebench.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`tunebench ${args.join(' ')} exited ${code}\n${output}`))));
  });
}

/** Starts `node out/main/web.js --port 0` and resolves with the URL it prints and a stop function. */
function startWebHost(dataDir) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'main', 'web.js'), '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * SECOND);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the web host did not start: ${why}\n${output}`));
    };
    const timer = setTimeout(() => fail('no "serving at" line within 20 s'), 20 * SECOND);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /serving at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stop, log: () => output });
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
}

/** Waits until the locator is visible. */
const visible = (locator, timeout = 30 * SECOND) => locator.waitFor({ state: 'visible', timeout });

async function main() {
  await mkdir(outDir, { recursive: true });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tunebench-screenshots-'));
  log(`data directory ${dataDir}`);
  const failures = [];
  const wanted = (name) => !only || only.has(name);

  // A small sweep of the example orders service's pool size, made with the CLI; the Sweeps page shows it.
  if (wanted('sweeps')) {
    const sweep = {
      kind: 'sweep',
      name: 'orders: pool size',
      base: {
        kind: 'load',
        target: { type: 'service', service: 'orders', knobs: { poolMax: 10 } },
        load: {
          mode: 'closed',
          connections: 40,
          durationSec: 3,
          warmupSec: 1,
          mix: [
            { method: 'GET', path: '/orders/42', weight: 6 },
            { method: 'GET', path: '/customers/7/orders', weight: 3 },
          ],
        },
      },
      axes: [{ path: 'target.knobs.poolMax', values: [1, 4, 16] }],
      repeats: 2,
      warmup: 0,
    };
    const sweepFile = path.join(dataDir, 'orders-pool.sweep.json');
    await writeFile(sweepFile, JSON.stringify(sweep, null, 2));
    log('preparing: a sweep of the orders service (tunebench sweep, about 40 s)');
    try {
      await cli(dataDir, ['sweep', sweepFile, '--services', ordersServices]);
    } catch (error) {
      failures.push(['prepare sweep', error]);
      log(String(error));
    }
  }

  const host = await startWebHost(dataDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  // Nothing but the workbench itself: every other request is refused.
  await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(30 * SECOND);
  const base = host.url.split('#')[0];
  await page.goto(host.url);
  await visible(page.getByRole('navigation', { name: 'Pages' }));

  const nav = async (name) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
    await visible(page.getByRole('heading', { name, level: 1 }));
  };
  /** A viewport screenshot, after charts have had a moment to draw; `at` is scrolled to the top first (less `above` pixels). */
  const shot = async (name, { at, above = 0, fullPage = false } = {}) => {
    // No tooltip or hover state from the last click.
    await page.mouse.move(0, 0);
    if (at) {
      await at.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await page.evaluate((by) => window.scrollBy(0, -by), above);
    } else await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(600);
    await page.screenshot({ path: path.join(outDir, name), fullPage });
    log(`  ${name}`);
  };
  const savedRun = (timeout = 60 * SECOND) => visible(page.getByRole('link', { name: 'Open saved run' }).first(), timeout);
  const step = async (name, body) => {
    if (!wanted(name)) return;
    log(name);
    try {
      await body();
    } catch (error) {
      failures.push([name, error]);
      log(`  FAILED: ${error.message.split('\n')[0]}`);
      await page.screenshot({ path: path.join(dataDir, `failed-${name}.png`) }).catch(() => {});
    }
  };

  let poolRuns = [];
  await step('pool', async () => {
    await nav('Pool');
    // The example spec's task (primes up to 1,000,000), fewer jobs: some 9 s on one thread, 5 s on two.
    await page.getByLabel('Task').selectOption('primes');
    await page.getByLabel('Limit', { exact: true }).fill('1000000');
    await page.getByLabel('Jobs', { exact: true }).fill('1500');
    await page.getByLabel('Threads', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await savedRun();
    poolRuns.push(await page.getByRole('link', { name: 'Open saved run' }).getAttribute('href'));
    // The same on two threads: caught while it runs, then done.
    await page.getByLabel('Threads', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await visible(page.getByRole('status', { name: 'Current run outcome' }).getByText(/running/i));
    await page.waitForTimeout(2_500);
    await shot('pool-running.png');
    await page.waitForFunction(
      (previous) => {
        const link = [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === 'Open saved run');
        return link && link.getAttribute('href') !== previous;
      },
      poolRuns[0],
      { timeout: 60 * SECOND },
    );
    await visible(page.getByRole('region', { name: 'Findings' }).getByRole('heading', { name: 'Findings', exact: true }));
    poolRuns.push(await page.getByRole('link', { name: 'Open saved run' }).getAttribute('href'));
    await shot('pool-completed.png');
    await page.goto(`${base}${poolRuns[1]}`);
    await visible(page.getByRole('table', { name: 'Summary', exact: true }));
    await shot('run-details.png');
  });

  await step('load', async () => {
    await nav('Load');
    // The example spec's cluster of two workers and its two-entry mix (/health, /io?ms=20).
    await page.getByLabel('Target').selectOption('cluster');
    await page.getByLabel('Duration (s)').fill('5');
    await page.getByLabel('Warm-up (s)').fill('0.5');
    await page.getByRole('button', { name: 'Run load' }).click();
    await savedRun();
    const endpoints = page.getByRole('figure', { name: /Latency p99 per endpoint/ });
    await visible(endpoints);
    await shot('load.png', { at: page.getByRole('region', { name: 'Current run' }) });
    await shot('load-endpoints.png', { at: endpoints, above: 8 });
  });

  await step('database', async () => {
    await nav('Database');
    await page.getByLabel('Workload', { exact: true }).selectOption('rangeScan');
    await page.getByLabel('Duration (s)').fill('3');
    await page.getByLabel('Concurrency').fill('4');
    await page.getByLabel('Slow query threshold (ms)').fill('0');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await savedRun(90 * SECOND);
    await shot('database.png');
    const plans = page.getByRole('region', { name: 'Query plans' });
    await plans.getByRole('row').filter({ hasText: 'ORDER BY id LIMIT $2' }).getByRole('button', { name: 'Show plan' }).click();
    await visible(plans.getByRole('list', { name: 'Query plan' }));
    await shot('database-slow-queries.png', { at: page.getByRole('table', { name: 'Slow queries by statement' }) });
    await shot('database-plan.png', { at: plans });
  });

  await step('memory', async () => {
    await nav('Memory');
    await page.getByLabel('Scenario').selectOption('leak');
    await page.getByLabel('Duration (s)').fill('8');
    await page.getByLabel('Rate (per s)').fill('3000');
    await page.getByLabel('--max-old-space-size (MB)').fill('48');
    await page.getByLabel('Probe interval (ms)').fill('250');
    await page.getByLabel('Leak: R² at least').fill('0.5');
    await page.getByLabel('Leak: sustained for (s)').fill('4');
    await page.getByLabel('Leak: window (s)').fill('30');
    await page.getByLabel('Leak: ignore first (s)').fill('1');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await savedRun();
    await visible(page.getByRole('region', { name: 'Findings' }).getByRole('heading', { name: 'Findings', exact: true }));
    await shot('memory-leak.png');
    // A Node process started elsewhere, attached to, and its CPU profile drawn as a flame graph.
    const busy = spawn(process.execPath, ['-e', BUSY_SERVICE], { stdio: 'ignore' });
    try {
      await page.waitForTimeout(500);
      const attach = page.getByRole('region', { name: 'Attach to a running Node process' });
      await attach.getByRole('button', { name: 'List again' }).click();
      const row = attach.locator(`tr[data-pid="${busy.pid}"]`);
      await row.getByRole('button', { name: 'Attach' }).click();
      await visible(row.getByText(/attached \(port \d+\)/));
      const panel = page.getByRole('region', { name: 'Look inside a process' });
      await panel.getByLabel('Profile for (s)').fill('2');
      await panel.getByRole('button', { name: 'CPU profile' }).click();
      const flame = panel.getByRole('figure', { name: 'CPU flame graph' });
      await visible(flame);
      await shot('memory-flame.png', { at: page.getByRole('table', { name: 'Top functions by self time' }), above: 120 });
      await row.getByRole('button', { name: 'Detach' }).click();
    } finally {
      busy.kill('SIGKILL');
    }
  });

  await step('event-loop', async () => {
    await nav('Event Loop');
    await page.getByLabel('Duration (s)').fill('2');
    await page.getByRole('button', { name: 'Run on the main thread' }).click();
    await visible(page.getByRole('heading', { name: /event loop: 50 ms task on the main thread/ }), 15 * SECOND);
    await savedRun();
    await page.getByRole('button', { name: 'Offload to the pool' }).click();
    await visible(page.getByRole('heading', { name: /event loop: 50 ms task on the pool/ }), 15 * SECOND);
    const pair = page.getByRole('region', { name: 'Blocking versus offloaded' });
    await visible(pair);
    await page.getByRole('table', { name: 'Main thread versus pool' }).getByRole('link', { name: 'Open saved run' }).nth(1).waitFor({ timeout: 30 * SECOND });
    await shot('event-loop.png', { at: page.getByRole('table', { name: 'Main thread versus pool' }), above: 330 });
  });

  await step('services', async () => {
    await nav('Services');
    // Load the example's tunebench.services.json: it is shown first and runs only once trusted.
    const fromFolder = page.getByRole('region', { name: 'Services from a folder' });
    await fromFolder.getByLabel('Folder (absolute path)').fill(path.join(examples, 'orders-api'));
    await fromFolder.getByRole('button', { name: 'Look at its services file' }).click();
    const prompt = page.getByRole('region', { name: 'What this folder would run' });
    await visible(prompt);
    await shot('services-trust.png', { at: fromFolder });
    await prompt.getByRole('button', { name: 'Trust this folder and load its services' }).click();
    const detail = page.getByRole('region', { name: 'Service orders' });
    await visible(detail);
    await detail.getByLabel('Knob poolMax').fill('5');
    await detail.getByRole('button', { name: 'Start' }).click();
    await visible(detail.getByText('running', { exact: true }));
    const processes = detail.getByRole('table', { name: 'Service processes' });
    await processes.locator('tbody tr').first().waitFor({ timeout: 15 * SECOND });
    await page.waitForTimeout(1_500);
    await shot('services.png');
    await detail.getByRole('button', { name: 'Stop' }).click();
    await visible(detail.getByText('stopped', { exact: true }), 15 * SECOND);
  });

  await step('runs', async () => {
    await nav('Runs');
    await visible(page.getByRole('table', { name: 'Runs' }));
    await shot('runs.png');
  });

  await step('compare', async () => {
    await nav('Runs');
    const table = page.getByRole('table', { name: 'Runs' });
    await page.getByLabel('Kind').selectOption('pool');
    const rows = table.locator('tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === 2);
    for (const box of await rows.getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: /^Compare/ }).click();
    await visible(page.getByRole('region', { name: 'Verdict' }));
    await visible(page.getByRole('img', { name: /Forest plot/ }));
    await shot('compare.png');
    // The same pair judged anyway, when the machine was busy.
    const anyway = page.getByLabel(/Judge anyway/);
    if (await anyway.count()) {
      await anyway.check();
      await page.waitForTimeout(1_500);
      await shot('compare-judged.png');
    }
  });

  await step('sweeps', async () => {
    await nav('Sweeps');
    await page.getByRole('table', { name: 'Sweeps' }).getByRole('link', { name: 'orders: pool size' }).click();
    await visible(page.getByRole('region', { name: 'Recommendation' }));
    await shot('sweep.png');
  });

  await step('settings', async () => {
    await nav('Settings');
    await visible(page.getByRole('table', { name: 'Checks' }), 60 * SECOND);
    await shot('settings.png');
  });

  await browser.close();
  await host.stop();
  if (options.keep || failures.length) log(`data directory kept: ${dataDir}`);
  else await rm(dataDir, { recursive: true, force: true });
  for (const [name, error] of failures) log(`FAILED ${name}: ${error.message}`);
  process.exitCode = failures.length ? 1 : 0;
}

await main();
