import { expect, test } from './fixtures.js';

test('Settings shows the app, where the PostgreSQL cluster lives, and the environment checks with a re-run button', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  const about = page.getByRole('region', { name: 'About' });
  await expect(about.getByText(webHost.dataDir, { exact: true })).toBeVisible();

  const checks = page.getByRole('table', { name: 'Checks' });
  await expect(checks).toBeVisible({ timeout: 60_000 });
  for (const title of ['Node.js for Tunebench', 'Node.js for subjects', 'Data directory', 'PostgreSQL data folder', 'Embedded PostgreSQL', 'Free disk']) {
    await expect(checks.getByRole('rowheader', { name: title })).toBeVisible();
  }
  await expect(checks.getByRole('row').filter({ hasText: 'Embedded PostgreSQL' })).toContainText(/PostgreSQL 18[\d.]* answers on 127\.0\.0\.1/);
  await expect(page.getByRole('status').filter({ hasText: /Everything Tunebench needs is there|check(s)? failed/ })).toBeVisible();
  // The doctor started the embedded server: About says where its cluster is.
  await expect(about).toContainText(/PostgreSQL cluster.*\(running, PostgreSQL 18/);
  await page.screenshot({ path: testInfo.outputPath('settings-checks.png'), fullPage: true });

  const again = page.getByRole('button', { name: 'Run checks again' });
  const before = await page.getByRole('status').filter({ hasText: /Checked/ }).innerText();
  // The time shown has seconds: a re-run within the same second would look the same.
  await page.waitForTimeout(1_100);
  await again.click();
  await expect(page.getByRole('button', { name: 'Run checks again' })).toBeEnabled({ timeout: 60_000 });
  await expect.poll(() => page.getByRole('status').filter({ hasText: /Checked/ }).innerText(), { timeout: 30_000 }).not.toBe(before);
});
