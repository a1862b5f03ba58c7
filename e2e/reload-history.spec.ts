import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Number of points in the first drawn line of a chart (an SVG path "M x,y L x,y …"). */
async function drawnPoints(chart: Locator): Promise<number> {
  const path = chart.locator('path.recharts-line-curve').first();
  if ((await path.count()) === 0) return 0;
  const d = (await path.getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

test('a reload mid-run restores the charts from the start of the run and the running spec in the form', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pool' }).click();
  await page.getByLabel('Task').selectOption('spin');
  await page.getByLabel('Milliseconds').fill('10');
  await page.getByLabel('Threads', { exact: true }).fill('1');
  await page.getByLabel('Jobs', { exact: true }).fill('2000');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const progressOf = async () => Number(await page.getByRole('progressbar', { name: 'Run progress' }).getAttribute('aria-valuenow'));
  await expect.poll(progressOf, { timeout: 30_000 }).toBeGreaterThan(900);
  const throughput = page.getByRole('figure', { name: 'Throughput chart' });
  const before = await drawnPoints(throughput);
  expect(before).toBeGreaterThan(25);

  await page.reload();
  // The page follows the same run, its form shows the running spec (nobody typed since the reload) ...
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled({ timeout: 15_000 });
  await expect(page.getByLabel('Jobs', { exact: true })).toHaveValue('2000');
  await expect(page.getByLabel('Milliseconds', { exact: true })).toHaveValue('10');
  await expect(page.getByLabel('Threads', { exact: true })).toHaveValue('1');
  // ... and its charts start where the run started: within a few seconds they hold what was drawn before the reload,
  // which frames since the reload alone could not (4 a second).
  await expect.poll(() => drawnPoints(throughput), { timeout: 3_000, intervals: [200] }).toBeGreaterThanOrEqual(before - 2);
  expect(await progressOf()).toBeLessThan(2000);
  await page.screenshot({ path: testInfo.outputPath('reloaded-mid-run.png'), fullPage: true });
});
