import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Number of points in the first drawn line of a chart (an SVG path "M x,y L x,y …"). */
async function drawnPoints(chart: Locator): Promise<number> {
  const path = chart.locator('path.recharts-line-curve').first();
  if ((await path.count()) === 0) return 0;
  const d = (await path.getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

test('a point-select run on the embedded server fills the charts and the query statistics table', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Database' }).click();
  await expect(page.getByRole('heading', { name: 'Database', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Connected to .*PostgreSQL 18/ })).toBeVisible({ timeout: 30_000 });

  await page.getByLabel('Workload', { exact: true }).selectOption('pointSelect');
  await page.getByLabel('Rows', { exact: true }).fill('2000');
  await page.getByLabel('Duration (s)').fill('4');
  await page.getByLabel('Concurrency', { exact: true }).fill('4');
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  const stats = page.getByRole('table', { name: 'Query statistics' });
  await expect(stats).toBeVisible({ timeout: 20_000 });
  await expect(stats.getByRole('cell', { name: /WHERE id = \$1/ })).toBeVisible();
  const throughput = page.getByRole('figure', { name: 'Throughput chart' });
  await expect.poll(() => drawnPoints(throughput), { timeout: 20_000 }).toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('1-db-running.png'), fullPage: true });

  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Summary', exact: true })).toBeVisible();
  const calls = await stats.getByRole('row').filter({ hasText: 'WHERE id = $1' }).getByRole('cell').nth(2).innerText();
  expect(Number(calls.replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(page.getByRole('figure', { name: 'Pool clients chart' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cross-check with pg_stat_statements' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('2-db-completed.png'), fullPage: true });
});

test('your own SQL: a 30 s statement timeout by default, a restricted role on the embedded server, and the privileged-role confirmation for a profile', async ({
  page,
  webHost,
}, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Database' }).click();
  await page.getByLabel('Workload', { exact: true }).selectOption('userQuery');
  await expect(page.getByLabel('statement_timeout (ms)')).toHaveValue('30000');
  const confirm = page.getByLabel('Run my SQL as this privileged role');
  // On the embedded server user SQL always runs as the restricted role: nothing to confirm.
  await expect(confirm).toHaveCount(0);

  await page.getByLabel('SQL', { exact: true }).fill(`SELECT pg_read_file('/etc/hostname')`);
  await page.getByLabel('Operations').fill('3');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText(/permission denied for function pg_read_file/).first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('3-db-user-sql-refused.png'), fullPage: true });

  await page.getByRole('button', { name: 'Add profile' }).click();
  await page.getByLabel('Profile id').fill('mine');
  await page.getByLabel('Connection URL').fill('postgres://someone@127.0.0.1:1/app');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByLabel('Database', { exact: true })).toHaveValue('mine');
  await expect(confirm).toBeVisible();
  await expect(confirm).not.toBeChecked();
  await confirm.check();
  await expect(confirm).toBeChecked();
  await page.screenshot({ path: testInfo.outputPath('4-db-user-sql-profile.png'), fullPage: true });
});
