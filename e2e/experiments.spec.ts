import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const baseSpec = {
  kind: 'pool',
  name: 'spin 5 ms',
  task: { name: 'spin', params: { ms: 5 } },
  pool: { implementation: 'piscina', threads: 1, maxQueue: 1000 },
  jobs: 40,
  concurrency: 4,
  sampleIntervalMs: 100,
  timeLimitSec: 60,
};

/** Clicks an export button, saves the download, and returns its path and text. */
async function exportFile(page: Page, button: string, savePath: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  await download.saveAs(savePath);
  return readFile(savePath, 'utf8');
}

/** Opens a saved report from disk with every request outside file:// recorded and refused. */
async function openOffline(page: Page, file: string): Promise<string[]> {
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith('file:')) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(`file://${file}`);
  return requests;
}

test('a sweep from the UI names its knee, compares points, and exports an offline HTML report', async ({ page, context, webHost }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Sweeps' }).click();
  await page.getByRole('button', { name: 'New sweep' }).click();
  await expect(page.getByRole('heading', { name: 'New sweep', level: 1 })).toBeVisible();

  // The base spec is the advanced part: hidden until asked for.
  await expect(page.getByLabel('Base spec (JSON)')).toBeHidden();
  await page.getByText('The experiment every point starts from (JSON, advanced)').click();
  await page.getByLabel('Base spec (JSON)').fill(JSON.stringify(baseSpec, null, 2));
  // Settings are offered by their labels.
  const setting = page.getByLabel('Swept setting', { exact: true });
  await expect(setting.locator('option', { hasText: 'Threads (pool.threads)' })).toHaveCount(1);
  await setting.selectOption('pool.threads');
  await page.getByLabel('Values', { exact: true }).fill('1, 2');
  await page.getByLabel('Repeats').fill('3');
  await page.getByLabel('Warm-up runs').fill('0');
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('2 point(s), 6 run(s)');
  await page.getByLabel('Values', { exact: true }).fill('1, 200');
  await expect(preview.getByRole('alert')).toContainText('pool.threads=200');
  // The problem sits beside the field it is about.
  await expect(page.locator('.field-invalid').filter({ has: page.getByLabel('Values', { exact: true }) })).toContainText('Too big');
  await page.getByLabel('Values', { exact: true }).fill('1, 2');
  await expect(preview).toContainText('6 run(s)');
  await page.screenshot({ path: testInfo.outputPath('1-new-sweep.png'), fullPage: true });
  await page.getByRole('button', { name: 'Start sweep' }).click();

  await expect(page.locator('.page-header .status')).toHaveText('Completed', { timeout: 60_000 });
  const recommendation = page.getByRole('region', { name: 'Recommendation' });
  await expect(recommendation).toContainText(/Knee: pool\.threads=\d/);
  await expect(recommendation).toContainText("Student's t on 3 repeats per point");
  const chart = page.getByRole('figure', { name: /throughput and waitP99 by pool\.threads/ });
  await expect(chart.locator('path.recharts-line-curve').first()).toBeVisible();
  await expect(chart.locator('.recharts-errorBar').first()).toBeAttached();
  // A target is drawn as a line on its metric's axis, and the metrics carry their labels.
  await page.getByLabel('Target metric').selectOption('waitP99');
  await page.getByLabel('Must stay below (ms)').fill('1000');
  await expect(chart.getByText(/target < 1,?000/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sweep points' }).getByRole('columnheader').nth(2)).toContainText('(throughput)');
  await page.screenshot({ path: testInfo.outputPath('2-sweep-result.png'), fullPage: true });

  const sweepHtml = await exportFile(page, 'Export sweep as HTML', testInfo.outputPath('sweep-report.html'));
  expect(sweepHtml).not.toMatch(/https?:\/\//);

  await page.getByRole('button', { name: 'Compare points' }).click();
  const table = page.getByRole('table', { name: 'Comparison table' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('row', { name: /Throughput/ })).toContainText('per-repeat (n=3/3)');
  // Repeats are judged on per-run values, and the page says how.
  await expect(page.getByRole('list', { name: 'Method' })).toContainText("Student's t interval on the log of the per-run values");
  await page.screenshot({ path: testInfo.outputPath('3-compare-points.png'), fullPage: true });

  // A run of the sweep exports as HTML too; the report renders its charts with no network at all.
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Runs' }).click();
  await page.getByRole('table', { name: 'Runs' }).getByRole('link').first().click();
  const runHtmlPath = testInfo.outputPath('run-report.html');
  await exportFile(page, 'Export run as HTML', runHtmlPath);

  for (const [file, shot] of [
    [runHtmlPath, '4-run-report.png'],
    [testInfo.outputPath('sweep-report.html'), '5-sweep-report.png'],
  ] as const) {
    const offline = await context.newPage();
    const requests = await openOffline(offline, file);
    const charts = offline.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThan(0);
    const box = await charts.first().boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await offline.locator('svg.chart path').count()).toBeGreaterThan(0);
    await offline.screenshot({ path: testInfo.outputPath(shot), fullPage: true });
    expect(requests).toEqual([]);
    await offline.close();
  }
});
