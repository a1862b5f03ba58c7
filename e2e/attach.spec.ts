import { spawn } from 'node:child_process';
import { expect, test } from './fixtures.js';

/** A service started elsewhere (by this test, not by Tunebench), busy in a function the profile should find. */
const SERVICE = 'function busyWork() { let x = 0; for (let i = 0; i < 2e5; i++) x += Math.sqrt(i); return x; } setInterval(busyWork, 2);';

test('the Memory page attaches to a Node process started elsewhere, takes a CPU profile of it and detaches', async ({ page, webHost }, testInfo) => {
  const service = spawn(process.execPath, ['-e', SERVICE], { stdio: 'ignore' });
  try {
    const pid = service.pid!;
    // Node installs its SIGUSR1 handler as it starts: give it that moment.
    await page.waitForTimeout(300);
    await page.goto(webHost.url);
    await page.getByRole('link', { name: 'Memory' }).click();

    const attach = page.getByRole('region', { name: 'Attach to a running Node process' });
    const row = attach.locator(`tr[data-pid="${pid}"]`);
    await expect(row).toContainText('busyWork');
    await expect(row).toContainText('closed');
    await row.getByRole('button', { name: 'Attach' }).click();
    await expect(row).toContainText(/attached \(port \d+\)/);
    await expect(row.getByRole('button', { name: 'Detach' })).toBeVisible();

    // The panel's own buttons now work on it.
    await expect(page.getByLabel('Process', { exact: true })).toHaveValue(`attached:${pid}`);
    await page.getByLabel('Profile for (s)').fill('1');
    await page.getByRole('button', { name: 'CPU profile' }).click();
    const top = page.getByRole('table', { name: 'Top functions by self time' });
    await expect(top).toBeVisible({ timeout: 20_000 });
    await expect(top.getByRole('cell', { name: 'busyWork', exact: true })).toBeVisible();
    await expect(page.getByText(new RegExp(`cpu-profile-attached_${pid}-.*\\.cpuprofile`))).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('attach-cpu-profile.png'), fullPage: true });

    await row.getByRole('button', { name: 'Detach' }).click();
    await expect(row).toContainText('closed');
    await expect(row.getByRole('button', { name: 'Attach' })).toBeVisible();
    expect(service.exitCode).toBeNull();
    expect(service.signalCode).toBeNull();
  } finally {
    service.kill('SIGKILL');
  }
});
