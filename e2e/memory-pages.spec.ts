import { expect, test } from './fixtures.js';

test('the Memory form shows the chosen scenario\'s fields, number fields step with the arrow keys, and a skip link leads to the page', async ({ page, webHost }) => {
  await page.goto(webHost.url);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Memory' }).click();

  const scenario = page.getByLabel('Scenario');
  await scenario.selectOption('cpu-main');
  await expect(page.getByLabel('CPU task (ms)')).toBeVisible();
  await expect(page.getByLabel('Object size (bytes)')).toHaveCount(0);
  await expect(page.getByLabel('Leak: R² at least')).toHaveCount(0);
  await expect(page.getByText('Heap snapshots at start and end')).toHaveCount(0);
  await scenario.selectOption('churn');
  await expect(page.getByLabel('Retain (ms)')).toBeVisible();
  await expect(page.getByLabel('Leak: R² at least')).toBeVisible();
  await expect(page.getByLabel('CPU task (ms)')).toHaveCount(0);
  await expect(page.getByLabel('Worker heap limit (MB)')).toHaveCount(0);

  const duration = page.getByLabel('Duration (s)');
  const before = Number(await duration.inputValue());
  await duration.focus();
  await page.keyboard.press('ArrowUp');
  await expect(duration).toHaveValue(String(before + 1));
  const r2 = page.getByLabel('Leak: R² at least');
  await r2.fill('0.8');
  await r2.focus();
  await page.keyboard.press('ArrowUp');
  await expect(r2).toHaveValue('0.85');
});

test('a CPU profile is drawn as a flame graph beside its top functions, with search and zoom, and downloads', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Memory' }).click();
  const panel = page.getByRole('region', { name: 'Look inside a process' });
  await panel.getByLabel('Profile for (s)').fill('1');
  await panel.getByRole('button', { name: 'CPU profile' }).click();
  const flame = panel.getByRole('figure', { name: 'CPU flame graph' });
  await expect(flame).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole('table', { name: 'Top functions by self time' })).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Download cpu-profile-.*\.cpuprofile$/ })).toBeVisible();
  await panel.getByLabel('Include idle time').check();
  const frames = flame.locator('.flame-frame');
  await expect.poll(() => frames.count()).toBeGreaterThan(1);

  await flame.getByRole('searchbox').fill('idle');
  await expect(flame.getByRole('status')).toContainText('% of the time in matching functions');
  await expect(flame.locator('.flame-match').first()).toBeVisible();

  const reset = flame.getByRole('button', { name: 'Reset zoom' });
  await expect(reset).toBeDisabled();
  await frames.nth(1).click();
  await expect(reset).toBeEnabled();
  await expect(flame.getByText(/^Zoomed to /)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('flame.png'), fullPage: true });
  await reset.click();
  await expect(reset).toBeDisabled();

  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: /^Download cpu-profile-/ }).click();
  expect((await download).suggestedFilename()).toMatch(/\.cpuprofile$/);
});

test('the Event Loop page shows its own runs only, blocking and offloaded side by side, with links to the saved runs', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  const nav = (name: string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await nav('Memory');
  await page.getByLabel('Scenario').selectOption('cpu-main');
  await page.getByLabel('Duration (s)').fill('2');
  await page.getByLabel('Name', { exact: true }).fill('a memory page run');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 30_000 });

  await nav('Event Loop');
  await expect(page.getByRole('heading', { name: 'Event Loop', level: 1 })).toBeVisible();
  await expect(page.getByText('a memory page run')).toHaveCount(0);
  await expect(page.getByText('Run the task both ways to see the two side by side on one axis.')).toBeVisible();

  await page.getByLabel('Duration (s)').fill('2');
  await page.getByRole('button', { name: 'Run on the main thread' }).click();
  await expect(page.getByRole('heading', { name: /event loop: 50 ms task on the main thread/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('link', { name: 'Open saved run' }).first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Offload to the pool' }).click();
  await expect(page.getByRole('heading', { name: /event loop: 50 ms task on the pool/ })).toBeVisible({ timeout: 15_000 });
  const pair = page.getByRole('region', { name: 'Blocking versus offloaded' });
  await expect(pair).toBeVisible({ timeout: 30_000 });
  await expect(pair.getByRole('figure', { name: 'Heartbeat lateness: blocking vs offloaded chart' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Main thread versus pool' });
  await expect(table.getByRole('link', { name: 'Open saved run' })).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('event-loop.png'), fullPage: true });

  // The Memory page keeps to its own runs too.
  await nav('Memory');
  await expect(page.getByRole('heading', { name: 'a memory page run' })).toBeVisible();
});
