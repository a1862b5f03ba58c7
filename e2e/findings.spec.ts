import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** The finding whose sentence matches, in the page's Findings panel. */
function finding(page: Page, title: RegExp): Locator {
  return page.getByRole('region', { name: 'Findings' }).getByRole('listitem', { name: title });
}

/** Waits for the run to be saved: its findings are then the record's ("Findings", no longer "Findings so far"). */
async function waitForSavedRun(page: Page): Promise<void> {
  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByRole('region', { name: 'Findings' }).getByRole('heading', { name: 'Findings', exact: true })).toBeVisible();
}

test('Pool: eight jobs in flight on one thread find queue wait dominating; Show on charts highlights it; Try next opens a sweep of threads', async ({
  page,
  webHost,
}, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Pool' }).click();
  await page.getByLabel('Task').selectOption('spin');
  await page.getByLabel('Milliseconds').fill('3');
  await page.getByLabel('Threads', { exact: true }).fill('1');
  await page.getByLabel('Jobs', { exact: true }).fill('700');
  await page.getByLabel('Concurrency', { exact: true }).fill('8');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitForSavedRun(page);

  const queue = finding(page, /^Queue wait dominates: jobs waited [\d.]+ ms \(p50\) for a thread and ran [\d.]+ ms/);
  await expect(queue).toBeVisible();
  await expect(queue.getByText('Warning', { exact: true })).toBeVisible();
  await expect(queue.getByRole('definition').first()).toHaveText(/^[\d.,]+ ms$/);
  await queue.getByRole('button', { name: /^Show on charts/ }).click();
  const throughput = page.getByRole('figure', { name: 'Throughput chart' });
  await expect(throughput.locator('.chart-finding-highlight')).toHaveCount(1);
  await expect(queue.getByRole('button', { name: 'Hide on charts' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('region', { name: 'Findings' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('1-pool-findings.png'), fullPage: true });

  // The saved run's page shows the same findings.
  const runLink = (await page.getByRole('link', { name: 'Open saved run' }).getAttribute('href'))!;
  await page.goto(`${webHost.url.split('#')[0]}${runLink}`);
  await expect(finding(page, /^Queue wait dominates/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('2-saved-run-findings.png'), fullPage: true });

  await finding(page, /^Queue wait dominates/).getByRole('button', { name: /^Try next: Sweep threads over 1, 2/ }).click();
  await expect(page.getByRole('heading', { name: 'New sweep', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Swept setting', { exact: true })).toHaveValue('pool.threads');
  await expect(page.getByLabel('Values', { exact: true })).toHaveValue('1, 2');
  const base = JSON.parse(await page.getByLabel('Base spec (JSON)').inputValue()) as Record<string, unknown>;
  expect(base).toMatchObject({ kind: 'pool', task: { name: 'spin', params: { ms: 3 } }, jobs: 700, concurrency: 8 });
});

test('Load: a cluster that answers every request with a 503 finds the errors, from the start', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Load' }).click();
  await page.getByLabel('Workers', { exact: true }).fill('1');
  await page.getByLabel('Target').selectOption('cluster');
  await page.getByLabel('Mode', { exact: true }).selectOption('closed');
  await page.getByLabel('Connections', { exact: true }).fill('2');
  await page.getByLabel('Duration (s)').fill('1.5');
  await page.getByLabel('Warm-up (s)').fill('0.3');
  await page.getByLabel('Path of endpoint 1').fill('/error?status=503');
  const more = page.getByLabel('Remove endpoint 2');
  if (await more.count()) await more.click();
  await page.getByRole('button', { name: 'Run load' }).click();
  await waitForSavedRun(page);

  const errors = finding(page, /^[\d,]+ requests failed \(100%\): non-2xx [\d,]+, from the start of the measured window\.$/);
  await expect(errors).toBeVisible();
  await expect(errors.getByText('Problem', { exact: true })).toBeVisible();
  await errors.getByRole('button', { name: /^Show on charts/ }).click();
  await expect(page.getByRole('figure', { name: 'Errors chart' }).locator('.chart-finding-highlight')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('3-load-findings.png'), fullPage: true });
});

test('Database: eight operations in flight on one client find the pool the bottleneck', async ({ page, webHost }, testInfo) => {
  test.setTimeout(90_000);
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Database' }).click();
  await page.getByLabel('Workload', { exact: true }).selectOption('pointSelect');
  await page.getByLabel('Rows', { exact: true }).fill('1000');
  await page.getByLabel('Max clients').fill('1');
  await page.getByLabel('Concurrency', { exact: true }).fill('8');
  await page.getByLabel('Duration (s)').fill('2');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitForSavedRun(page);

  const pool = finding(page, /^The pool is the bottleneck: its one client was busy/);
  await expect(pool).toBeVisible();
  await expect(pool.getByRole('button', { name: /^Try next: Sweep the pool size over 1, 2, 4, 8/ })).toBeVisible();
  await pool.getByRole('button', { name: /^Show on charts/ }).click();
  await expect(page.getByRole('figure', { name: 'Pool clients chart' }).locator('.chart-finding-highlight')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('4-db-findings.png'), fullPage: true });
});

test('Memory: a leaking scenario finds the leak; Try next reruns it with heap snapshots, prefilled', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Memory' }).click();
  await page.getByLabel('Scenario').selectOption('leak');
  // 8 s at 3,000 a second stays under the 48 MB heap; 2 s of sustained growth leaves room for a busy machine's late first GCs.
  await page.getByLabel('Duration (s)').fill('8');
  await page.getByLabel('Rate (per s)').fill('3000');
  // Close to its heap limit the live set is collected often: many points for the leak detector, without running out.
  await page.getByLabel('--max-old-space-size (MB)').fill('48');
  await page.getByLabel('Probe interval (ms)').fill('250');
  await page.getByLabel('Leak: R² at least').fill('0.5');
  await page.getByLabel('Leak: sustained for (s)').fill('2');
  await page.getByLabel('Leak: window (s)').fill('30');
  await page.getByLabel('Leak: ignore first (s)').fill('1');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitForSavedRun(page);
  await expect(page.getByRole('region', { name: 'Current run' }).locator('.status').first()).toHaveText(/completed/i);

  const leak = finding(page, /^Possible leak: the heap left after each major GC grew [\d.,]+ MB\/min/);
  await expect(leak).toBeVisible();
  await expect(leak.getByText('Problem', { exact: true })).toBeVisible();
  await leak.getByRole('button', { name: /^Show on charts/ }).click();
  await expect(page.locator('.chart-finding-highlight').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('5-memory-findings.png'), fullPage: true });

  const snapshots = page.getByLabel('Heap snapshots at start and end (diffed by constructor)');
  await expect(snapshots).not.toBeChecked();
  await leak.getByRole('button', { name: 'Try next: Rerun with heap snapshots at start and end, to see what grows' }).click();
  await expect(snapshots).toBeChecked();
  await expect(page.getByLabel('Rate (per s)')).toHaveValue('3000');
  await expect(page.getByText(/Editing a rerun of/)).toBeVisible();
});
