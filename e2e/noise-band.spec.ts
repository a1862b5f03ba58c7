import { spawn } from 'node:child_process';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';

/**
 * A run made busy from outside: a busy loop started by the test (not by the
 * workbench, so not part of the run's process tree) for a few seconds in the
 * middle of a pool run. The run's heading says the machine was busy, every
 * chart shades the busy stretch, live and saved, and the runs list says so.
 */

function startBusyLoop(): { stop(): void } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return {
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

const bandsIn = (scope: Locator) => scope.locator('.chart-noise-band');

test('a busy loop outside the run shows as a busy badge and a shaded band on every chart', async ({ page, webHost }, testInfo) => {
  const loops: Array<{ stop(): void }> = [];
  try {
    await page.goto(webHost.url);
    await page.getByRole('link', { name: 'Pool' }).click();
    await page.getByLabel('Task').selectOption('spin');
    await page.getByLabel('Milliseconds').fill('25');
    await page.getByLabel('Threads', { exact: true }).fill('1');
    await page.getByLabel('Jobs', { exact: true }).fill('280');
    await page.getByLabel('Concurrency', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    const current = page.getByRole('region', { name: 'Current run' });
    const throughput = current.getByRole('figure', { name: 'Throughput chart' });
    // A quiet-ish start, then a core of someone else's work for about three seconds.
    await expect(throughput.locator('path.recharts-line-curve').first()).toBeVisible({ timeout: 20_000 });
    loops.push(startBusyLoop());
    // Live: the badge and the band come with the frames, while the run goes on.
    await expect(current.locator('.noise-badge.noise-busy')).toBeVisible({ timeout: 10_000 });
    await expect(bandsIn(throughput).first()).toBeVisible({ timeout: 10_000 });
    expect(await current.getByText('Running', { exact: true }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: testInfo.outputPath('1-noise-live.png'), fullPage: true });
    await page.waitForTimeout(1_500);
    loops.splice(0).forEach((loop) => loop.stop());

    // Saved: the record's verdict, and the band on every chart of the run.
    await expect(current.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 45_000 });
    const badge = current.locator('.noise-badge');
    await expect(badge).toHaveClass(/noise-busy/);
    await expect(badge).toHaveText(/^Machine busy: others \d+(\.\d+)? cores$/);
    await expect(badge).toHaveAttribute('title', /^Machine during this run: busy \(others used [\d.]+ cores, over the 0\.25 threshold/);
    const charts = current.getByRole('figure');
    await expect.poll(async () => bandsIn(current).count()).toBeGreaterThanOrEqual(await charts.count());
    await current.screenshot({ path: testInfo.outputPath('2-noise-saved.png') });

    await current.getByRole('link', { name: 'Open saved run' }).click();
    const header = page.locator('.page-header');
    await expect(header.locator('.noise-badge.noise-busy')).toBeVisible();
    await expect(header.getByRole('definition').filter({ hasText: /^busy \(others used/ })).toBeVisible();
    await expect(bandsIn(page.getByRole('region', { name: 'Charts' })).first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('3-noise-run-page.png'), fullPage: true });

    await page.getByRole('link', { name: 'Runs', exact: true }).first().click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect(runs.locator('.noise-badge.noise-busy')).toHaveText('machine busy');
    await page.screenshot({ path: testInfo.outputPath('4-noise-runs-list.png') });
  } finally {
    loops.forEach((loop) => loop.stop());
  }
});
