import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Runs the Pool page's form as it stands and waits until the run is saved. */
async function runPool(page: Page, previous: string | null): Promise<string> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const runLink = page.getByRole('link', { name: 'Open saved run' });
  await expect
    .poll(async () => ((await runLink.count()) ? await runLink.getAttribute('href') : null), { timeout: 45_000 })
    .not.toBe(previous);
  return (await runLink.getAttribute('href'))!;
}

test('two runs ticked in the runs list compare with the verdict first, then the forest plot, then the table', async ({ page, webHost }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Pool' }).click();
  await page.getByLabel('Task').selectOption('primes');
  await page.getByLabel('Limit', { exact: true }).fill('200000');
  await page.getByLabel('Jobs', { exact: true }).fill('1500');

  // More threads than cores: a warning beside the field, and the form still runs.
  await page.getByLabel('Threads', { exact: true }).fill('64');
  await expect(page.getByRole('status').filter({ hasText: /^64 threads on \d+ cores?: beyond the machine/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('1-threads-warning.png'), fullPage: true });

  await page.getByLabel('Threads', { exact: true }).fill('1');
  await expect(page.getByText(/threads on \d+ cores?: beyond the machine/)).toHaveCount(0);
  const first = await runPool(page, null);
  await page.getByLabel('Threads', { exact: true }).fill('2');
  await runPool(page, first);

  await page.getByRole('link', { name: 'Runs' }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  // Key settings tell the runs apart even when both were named the same.
  await expect(table.getByText('primes 200k · piscina · 2 threads · 1.5k jobs')).toBeVisible();
  // A filter narrows the list in the engine; clearing it brings both back.
  await page.getByLabel('Filter by name, id, settings or sweep').fill('2 threads');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Filter by name, id, settings or sweep').fill('');
  await page.getByLabel('Kind').selectOption('load');
  await expect(page.getByText('No run matches these filters.')).toBeVisible();
  await page.getByLabel('Kind').selectOption('pool');
  await expect(table.locator('tbody tr')).toHaveCount(2);

  const compare = page.getByRole('button', { name: /^Compare/ });
  await expect(compare).toBeDisabled();
  for (const box of await table.getByRole('checkbox').all()) await box.check();
  await expect(compare).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('2-runs-list-two-ticked.png'), fullPage: true });
  await compare.click();

  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toBeVisible({ timeout: 30_000 });
  // The older run is the baseline: one thread → two.
  await expect(verdict.getByTestId('compare-verdict')).toContainText(/^pool\.threads 1 → 2: throughput [-+][\d.]+ %/);
  await expect(verdict.getByTestId('compare-verdict')).toContainText('p99 latency');
  const plot = page.getByRole('img', { name: /Forest plot/ });
  await expect(plot).toBeVisible();
  const comparisonTable = page.getByRole('table', { name: 'Comparison table' });
  await expect(comparisonTable).toBeVisible();
  // The answer first, the picture next, the table last.
  const top = async (locator: typeof plot) => (await locator.boundingBox())!.y;
  expect(await top(verdict)).toBeLessThan(await top(plot));
  expect(await top(plot)).toBeLessThan(await top(comparisonTable));
  // Each metric once: no percentile under two names.
  const metrics = await comparisonTable.locator('tbody th').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title')));
  expect(new Set(metrics).size).toBe(metrics.length);
  expect(metrics).not.toContain('waitMs.p50');
  await page.screenshot({ path: testInfo.outputPath('3-compare.png'), fullPage: true });
});
