import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Number of points in the first drawn line of a chart (an SVG path "M x,y L x,y …"). */
async function drawnPoints(chart: Locator): Promise<number> {
  const path = chart.locator('path.recharts-line-curve').first();
  if ((await path.count()) === 0) return 0;
  const d = (await path.getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

/** The value cell of a summary row, as a number ("1,234.5" → 1234.5). */
async function summaryNumber(summary: Locator, metric: RegExp): Promise<number> {
  const row = summary.getByRole('row', { name: metric }).first();
  const text = await row.getByRole('cell').first().innerText();
  return Number(text.replace(/,/g, ''));
}

async function runAndWaitForSummary(page: Page, previousRunLink: string | null): Promise<{ summary: Locator; runLink: string }> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const runLink = page.getByRole('link', { name: 'Open saved run' });
  // The link appears when the run is saved; a rerun must show a new one.
  await expect
    .poll(async () => ((await runLink.count()) ? await runLink.getAttribute('href') : null), { timeout: 45_000 })
    .not.toBe(previousRunLink);
  await expect.poll(async () => runLink.count(), { timeout: 45_000 }).toBe(1);
  const summary = page.getByRole('table', { name: 'Summary', exact: true });
  await expect(summary).toBeVisible();
  return { summary, runLink: (await runLink.getAttribute('href'))! };
}

test('a new user runs a pool experiment, reruns it on one thread, and finds both runs after a restart', async ({
  page,
  webHost,
}, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Pool' }).click();
  await expect(page.getByRole('heading', { name: 'Pool', level: 1 })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('1-pool-idle.png'), fullPage: true });

  await page.getByLabel('Task').selectOption('primes');
  await page.getByLabel('Limit').fill('200000');
  await page.getByLabel('Threads', { exact: true }).fill('2');
  // Long enough (about a second and a half) for several throughput samples after the warm-up.
  await page.getByLabel('Jobs', { exact: true }).fill('1500');

  const { summary: first, runLink: firstRun } = await runAndWaitForSummary(page, null);
  const throughputChart = page.getByRole('figure', { name: 'Throughput chart' });
  await expect(throughputChart).toBeVisible();
  await expect.poll(() => drawnPoints(throughputChart)).toBeGreaterThan(1);
  expect(await summaryNumber(first, /^Completed/i)).toBe(1500);
  expect(await summaryNumber(first, /^Throughput/i)).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('2-pool-completed.png'), fullPage: true });

  // The engine's own process, recorded with the run: heap spaces and GC on the run's time axis.
  await page.getByRole('button', { name: 'Runtime' }).click();
  const runtime = page.getByRole('region', { name: 'Runtime' });
  await expect(runtime.getByRole('heading', { name: 'Engine (this workbench)' })).toBeVisible();
  await expect(runtime.getByRole('definition').first()).toHaveText(/^[\d.,]+ MB$/);
  // A run shorter than the 1 s sampling interval has one sample per series, drawn as a dot.
  for (const name of ['Heap spaces (stacked) chart', 'Process memory chart', 'CPU and event-loop utilisation chart']) {
    await expect(runtime.getByRole('figure', { name }).locator('.recharts-dot, path.recharts-line-curve').first()).toBeVisible();
  }
  await runtime.screenshot({ path: testInfo.outputPath('2b-pool-runtime.png') });

  await page.getByLabel('Threads', { exact: true }).fill('1');
  const { summary: second } = await runAndWaitForSummary(page, firstRun);
  expect(await summaryNumber(second, /^Completed/i)).toBe(1500);
  await expect.poll(() => drawnPoints(throughputChart)).toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('3-pool-rerun.png'), fullPage: true });

  await webHost.restart();
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Runs' }).click();
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect(runs.locator('tbody tr')).toHaveCount(2);
  await expect(runs.getByText('Completed')).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('4-runs-list.png'), fullPage: true });

  await runs.getByRole('link').first().click();
  await expect(page.getByRole('button', { name: 'Rerun', exact: true })).toBeVisible();
  await expect.poll(() => drawnPoints(page.getByRole('figure', { name: 'Throughput chart' }))).toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('5-run-opened.png'), fullPage: true });
});
