import type { Locator } from '@playwright/test';
import { drawnPoints } from './charts.js';
import { expect, test } from './fixtures.js';

/** A worker table cell by its column header, as text. */
async function workerCell(workers: Locator, slot: number, column: string): Promise<string> {
  const headers = await workers.locator('thead th').allInnerTexts();
  const index = headers.findIndex((header) => header.trim() === column);
  if (index === -1) throw new Error(`no column "${column}" in ${headers.join(', ')}`);
  return (await workers.locator(`tbody tr[data-slot="${slot}"] > *`).nth(index).innerText()).trim();
}

test('a 2-worker cluster under load loses a worker to kill -9 and gets it back', async ({ page, webHost }, testInfo) => {
  test.setTimeout(90_000);
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Load' }).click();
  await expect(page.getByRole('heading', { name: 'Load', level: 1 })).toBeVisible();

  await page.getByLabel('Workers', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Start cluster' }).click();
  await expect(page.getByRole('status', { name: 'Cluster state' })).toHaveText('running', { timeout: 30_000 });
  const workers = page.getByRole('table', { name: 'Workers' });
  await expect(workers.locator('tbody tr')).toHaveCount(2);
  await expect(workers.locator('.worker-state', { hasText: 'running' })).toHaveCount(2);
  const pidBefore = await workerCell(workers, 0, 'PID');
  expect(Number(pidBefore)).toBeGreaterThan(0);

  await page.getByLabel('Target').selectOption('running-cluster');
  await page.getByLabel('Mode', { exact: true }).selectOption('closed');
  await page.getByLabel('Connections', { exact: true }).fill('4');
  await page.getByLabel('Duration (s)').fill('5');
  await page.getByLabel('Warm-up (s)').fill('0.5');
  await page.getByRole('button', { name: 'Run load' }).click();

  // Kill as soon as requests flow, so the restart lands inside the 5.5 s run.
  const progress = page.getByRole('progressbar', { name: 'Run progress' });
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Kill -9 worker 0' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Fault injected: kill -9 worker 0/ })).toBeVisible();
  // Back with a new process: the supervisor restarts it after its first backoff.
  await expect.poll(() => workerCell(workers, 0, 'Restarts'), { timeout: 15_000 }).toBe('1');
  await expect.poll(() => workerCell(workers, 0, 'State')).toBe('running');
  expect(await workerCell(workers, 0, 'PID')).not.toBe(pidBefore);
  expect(await workerCell(workers, 0, 'Last exit')).toMatch(/SIGKILL/);
  expect(await workerCell(workers, 1, 'Restarts')).toBe('0');
  const throughput = page.getByRole('figure', { name: 'Throughput chart' });
  await expect.poll(() => drawnPoints(throughput), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('1-cluster-under-load.png'), fullPage: true });
  const timeline = page.getByRole('region', { name: 'Cluster timeline' });
  await expect(timeline.getByText(/worker 0 restarted after \d+ ms backoff/)).toBeVisible();

  // The run saves with the restart on its timeline and marked on its charts.
  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 30_000 });
  const run = page.getByRole('region', { name: 'Current run' });
  await expect(run.getByRole('region', { name: 'Run timeline' }).getByText(/worker 0 restarted after/)).toBeVisible();
  await expect(throughput.locator('.chart-marker-failure')).toHaveCount(1);
  await expect(throughput.getByText('restart w0')).toBeVisible();
  await expect.poll(() => drawnPoints(throughput)).toBeGreaterThan(2);
  for (const name of ['Latency chart', 'Errors chart', 'Request share per worker chart', 'Event-loop delay p99 per worker chart']) {
    await expect.poll(() => drawnPoints(page.getByRole('figure', { name })), { message: name }).toBeGreaterThan(1);
  }
  // The summary comes in groups (requests, latency, errors, each worker ...) under one heading.
  const summary = page.getByRole('region', { name: 'Summary', exact: true });
  const requests = await summary.getByRole('table', { name: 'Requests' }).getByRole('row', { name: /^Requests/ }).first().getByRole('cell').first().innerText();
  expect(Number(requests.replace(/,/g, ''))).toBeGreaterThan(0);
  expect(Number((await workerCell(workers, 1, 'Requests')).replace(/,/g, ''))).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('2-cluster-after-kill.png'), fullPage: true });

  await page.getByRole('button', { name: 'Stop cluster' }).click();
  await expect(page.getByRole('status', { name: 'Cluster state' })).toHaveText('stopped', { timeout: 20_000 });
  await expect(page.getByText('No cluster is running.')).toBeVisible();

  // Typed after the run, so "Edit and rerun" below must bring the run's own 4 back.
  await page.getByLabel('Connections', { exact: true }).fill('9');

  // The saved run draws the same way on its own page, restart marker included.
  await page.getByRole('link', { name: 'Open saved run' }).click();
  const savedThroughput = page.getByRole('figure', { name: 'Throughput chart' });
  await expect.poll(() => drawnPoints(savedThroughput)).toBeGreaterThan(2);
  await expect(savedThroughput.getByText('restart w0')).toBeVisible();
  await expect.poll(() => drawnPoints(page.getByRole('figure', { name: 'Request share per worker chart' }))).toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('3-saved-load-run.png'), fullPage: true });

  await page.getByRole('button', { name: 'Edit and rerun' }).click();
  await expect(page.getByRole('heading', { name: 'Load', level: 1 })).toBeVisible();
  await expect(page.getByText(/Editing a rerun of/)).toBeVisible();
  await expect(page.getByLabel('Connections', { exact: true })).toHaveValue('4');
  await expect(page.getByLabel('Warm-up (s)')).toHaveValue('0.5');
  await expect(page.getByLabel('Path of endpoint 2')).toHaveValue('/io?ms=20');
});
