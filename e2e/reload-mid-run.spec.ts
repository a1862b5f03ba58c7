import { expect, test } from './fixtures.js';

test('a reload or a closed tab mid-run does not stop the run; the page shows it live again', async ({ page, webHost, context }) => {
  await page.goto(webHost.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pool' }).click();
  await page.getByLabel('Task').selectOption('spin');
  await page.getByLabel('Milliseconds').fill('10');
  await page.getByLabel('Threads', { exact: true }).fill('1');
  await page.getByLabel('Jobs', { exact: true }).fill('600');
  await page.getByRole('button', { name: 'Run' }).click();
  const progressOf = async (target: typeof page) =>
    Number(await target.getByRole('progressbar', { name: 'Run progress' }).getAttribute('aria-valuenow'));
  await expect.poll(() => progressOf(page), { timeout: 20_000 }).toBeGreaterThan(0);

  await page.reload();
  // The same run, still going: live progress moves on and Stop is offered.
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled({ timeout: 15_000 });
  const before = await progressOf(page);
  await expect.poll(() => progressOf(page), { timeout: 15_000 }).toBeGreaterThan(before);

  // A closed tab, then a new one on the same session: the run is there and finishes.
  const address = page.url();
  const storage = await page.evaluate(() => JSON.stringify(sessionStorage));
  await page.close();
  const reopened = await context.newPage();
  await reopened.goto(webHost.url);
  await reopened.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pool' }).click();
  await expect(reopened.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 30_000 });
  const summary = reopened.getByRole('table', { name: 'Summary', exact: true });
  await expect(summary.getByRole('row', { name: /^Completed/ }).getByRole('cell').first()).toHaveText('600');
  expect(address).not.toContain('token=');
  expect(storage).toContain('tunebench.sessionToken');
});
