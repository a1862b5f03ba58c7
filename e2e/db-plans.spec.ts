import { expect, test } from './fixtures.js';

test('the Database page groups the slow-query log by statement, draws a query plan tree with its costliest node, and reads the server status again after a run', async ({
  page,
  webHost,
}, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Database' }).click();
  await page.getByLabel('Workload', { exact: true }).selectOption('rangeScan');
  await page.getByLabel('Duration (s)').fill('3');
  await page.getByLabel('Concurrency', { exact: true }).fill('4');
  // Every query is slow: the log has thousands of entries, one row per statement.
  await page.getByLabel('Slow query threshold (ms)').fill('0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // The run's outcome sits beside the Run button.
  await expect(page.getByRole('status', { name: 'Current run outcome' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Current run outcome' })).toContainText('Completed');
  await expect(page.getByText(/Embedded PostgreSQL \(running/)).toBeVisible({ timeout: 10_000 });

  const slow = page.getByRole('table', { name: 'Slow queries by statement' });
  const headers = await slow.getByRole('columnheader').allInnerTexts();
  expect(headers.map((text) => text.replace(/[▼▲]/g, '').trim())).toEqual(['hash', 'query', 'count', 'p95 ms', 'max ms', 'last seen s', 'failed']);
  const rangeRow = slow.getByRole('row').filter({ hasText: 'ORDER BY id LIMIT $2' });
  await expect(rangeRow).toHaveCount(1);
  const count = Number((await rangeRow.getByRole('cell').nth(2).innerText()).replace(/,/g, ''));
  expect(count).toBeGreaterThan(10);

  const plans = page.getByRole('region', { name: 'Query plans' });
  await plans.getByRole('row').filter({ hasText: 'ORDER BY id LIMIT $2' }).getByRole('button', { name: 'Show plan' }).click();
  const tree = plans.getByRole('list', { name: 'Query plan' });
  await expect(tree).toBeVisible({ timeout: 20_000 });
  await expect(plans.getByText('EXPLAIN (ANALYZE, BUFFERS)', { exact: true })).toBeVisible();
  await expect(tree.getByRole('listitem', { name: /^Limit/ })).toBeVisible();
  await expect(tree.getByRole('listitem', { name: /Index Scan/ })).toContainText('items_pkey');
  await expect(tree.getByRole('listitem', { name: /, costliest$/ })).toHaveCount(1);
  await expect(tree.getByText(/buffers hit \d+/).first()).toBeVisible();
  await tree.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('db-plan.png') });

  // The saved run offers the same plans.
  await page.getByRole('link', { name: 'Open saved run' }).click();
  await page.getByRole('region', { name: 'Query plans' }).getByRole('button', { name: 'Show plan' }).first().click();
  await expect(page.getByRole('list', { name: 'Query plan' })).toBeVisible({ timeout: 20_000 });
});
