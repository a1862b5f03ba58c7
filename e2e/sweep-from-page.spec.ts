import { expect, test } from './fixtures.js';

test('Sweep on the Pool page: threads 1, 2 with repeats, a preview, live progress, the knee, and a point\'s run', async ({ page, webHost }, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Pool' }).click();
  await expect(page.getByRole('heading', { name: 'Pool', level: 1 })).toBeVisible();

  // A small task whose run time depends only on the threads: each job busy-waits 25 ms.
  await page.getByLabel('Task').selectOption('spin');
  await page.getByLabel('Milliseconds').fill('25');
  await page.getByLabel('Threads', { exact: true }).fill('1');
  await page.getByLabel('Jobs', { exact: true }).fill('60');
  await page.getByLabel('Concurrency', { exact: true }).fill('2');
  await page.getByLabel('Sample interval (ms)').fill('100');
  await page.getByLabel('Stop after (s)').fill('30');

  // One run first, so the preview has a saved run to estimate the sweep's duration from.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Sweep…' }).click();
  await expect(page.getByRole('heading', { name: 'New sweep', level: 1 })).toBeVisible();
  await expect(page.getByText('Base: the settings on the Pool page.')).toBeVisible();
  await expect(page.getByLabel('Swept setting', { exact: true })).toHaveValue('pool.threads');
  const base = JSON.parse(await page.getByLabel('Base spec (JSON)').inputValue()) as Record<string, unknown>;
  expect(base).toMatchObject({ kind: 'pool', task: { name: 'spin', params: { ms: 25 } }, jobs: 60, concurrency: 2 });

  await page.getByLabel('Values', { exact: true }).fill('1, 2');
  await page.getByLabel('Repeats').fill('2');
  await page.getByLabel('Warm-up runs').fill('0');
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('2 point(s), 4 run(s)');
  await expect(preview).toContainText(/about \d/);
  await expect(preview).toContainText('the median duration of 1 saved pool run(s)');
  await shot('1-builder-from-pool.png');

  await page.getByRole('button', { name: 'Start sweep' }).click();
  const progress = page.getByRole('region', { name: 'Progress' });
  await expect(progress.getByRole('progressbar', { name: 'Sweep progress' })).toBeVisible();
  await expect(progress).toContainText(/Point [12] of 2 · about .+ left/, { timeout: 20_000 });
  await expect(progress.getByRole('button', { name: 'Stop sweep' })).toBeEnabled();
  await shot('2-sweep-progress.png');

  await expect(page.locator('.page-header .status')).toHaveText('Completed', { timeout: 60_000 });
  await expect(progress).toBeHidden();
  const recommendation = page.getByRole('region', { name: 'Recommendation' });
  await expect(recommendation).toContainText(/Knee: pool\.threads=[12]/);
  const chart = page.getByRole('figure', { name: /by pool\.threads/ });
  await expect(chart.locator('path.recharts-line-curve').first()).toBeVisible();
  await expect(chart.locator('svg text', { hasText: 'knee' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sweep points' }).getByRole('row')).toHaveCount(3);
  await shot('3-sweep-result.png');

  // "Edit sweep" reopens the builder with this sweep's settings.
  const sweepUrl = page.url();
  await page.getByRole('button', { name: 'Edit sweep' }).click();
  await expect(page.getByLabel('Values', { exact: true })).toHaveValue('1, 2');
  await expect(page.getByLabel('Repeats')).toHaveValue('2');
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText('4 run(s)');
  await page.goto(sweepUrl);

  const runs = page.getByRole('region', { name: 'Sweep runs' }).getByRole('listitem');
  await expect(runs).toHaveCount(4);
  const firstRun = runs.first();
  const runId = (await firstRun.getByRole('link').innerText()).trim();
  await firstRun.getByRole('link').click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(runId);
  await expect(page.locator('.page-header .status')).toHaveText('Completed');
  await expect(page.getByRole('table', { name: 'Summary', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Spec' })).toContainText('"spin"');
  await expect(page.getByRole('link', { name: new URL(sweepUrl).hash.split('/').pop()! })).toBeVisible();
  await shot('4-point-run.png');

  // "Rerun sweep" starts the same spec as a new sweep; stopped after its first run, it keeps that run.
  await page.goto(sweepUrl);
  await page.getByRole('button', { name: 'Rerun sweep' }).click();
  await expect(page).not.toHaveURL(sweepUrl);
  await expect(page.getByRole('heading', { name: 'pool sweep over pool.threads', level: 1 })).toBeVisible();
  const rerunProgress = page.getByRole('region', { name: 'Progress' });
  await expect(rerunProgress.getByRole('progressbar', { name: 'Sweep progress' })).toHaveAttribute('aria-valuenow', '1', { timeout: 20_000 });
  await rerunProgress.getByRole('button', { name: 'Stop sweep' }).click();
  await expect(page.locator('.page-header .status')).toHaveText('Stopped', { timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: /Stopped: the analysis covers the [12] of 4 runs/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sweep runs' }).getByRole('listitem').first()).toContainText('completed');
  await shot('5-rerun-stopped.png');
});
