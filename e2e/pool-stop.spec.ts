import { expect, test } from './fixtures.js';

test('Stop on the Pool page ends the run early and saves it as stopped with what it measured', async ({ page, webHost }) => {
  await page.goto(webHost.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pool' }).click();
  await page.getByLabel('Task').selectOption('spin');
  await page.getByLabel('Milliseconds').fill('20');
  await page.getByLabel('Threads', { exact: true }).fill('1');
  await page.getByLabel('Jobs', { exact: true }).fill('5000');

  await page.getByRole('button', { name: 'Run' }).click();
  const progress = page.getByRole('progressbar', { name: 'Run progress' });
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Stop' }).click();

  const saved = page.getByRole('link', { name: 'Open saved run' });
  await expect(saved).toBeVisible({ timeout: 20_000 });
  const current = page.getByRole('region', { name: 'Current run' });
  await expect(current.getByText('Stopped', { exact: true })).toBeVisible();
  const summary = page.getByRole('table', { name: 'Summary', exact: true });
  const completed = Number((await summary.getByRole('row', { name: /^Completed/ }).getByRole('cell').first().innerText()).replace(/,/g, ''));
  expect(completed).toBeGreaterThan(0);
  expect(completed).toBeLessThan(5000);

  await saved.click();
  await expect(page.getByText('Stopped before the end: the figures cover what ran until then.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr').getByText('Stopped', { exact: true })).toHaveCount(1);
});
