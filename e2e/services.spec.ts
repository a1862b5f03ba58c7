import path from 'node:path';
import { expect, test } from './fixtures.js';

const cpuPool = path.resolve(import.meta.dirname, '..', 'examples', 'cpu-pool');

test('a service defined on the Services page starts by hand, shows its processes and output, stops, and a load run starts it with a knob value', async ({ page, webHost }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Services' }).click();
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();

  // Define it: the examples' worker-thread pool, with its threads as a knob.
  const editor = page.getByRole('region', { name: 'Define a service' });
  await editor.getByLabel('Name').fill('cpu');
  await editor.getByLabel('Command').fill('node\nserver.mjs');
  await editor.getByLabel('Directory').fill(cpuPool);
  await editor.getByLabel('Environment').fill('PORT=3991');
  await editor.getByLabel('URL').fill('http://127.0.0.1:3991');
  await editor.getByLabel('Ready when').selectOption('log');
  await editor.getByLabel('Readiness pattern').fill('^cpu-pool listening');
  await editor.getByRole('button', { name: 'Add a knob' }).click();
  await editor.getByLabel('Knob 1 name').fill('threads');
  await editor.getByLabel('Knob 1 min').fill('1');
  await editor.getByLabel('Knob 1 max').fill('8');
  await editor.getByLabel('Knob 1 default').fill('2');
  await editor.getByLabel('Knob 1 variable, flag or option').fill('POOL_THREADS');
  await editor.getByRole('button', { name: 'Save service' }).click();

  const services = page.getByRole('table', { name: 'Services' });
  await expect(services.getByRole('row', { name: /cpu/ })).toContainText('saved in the app');
  const detail = page.getByRole('region', { name: 'Service cpu' });
  await detail.getByLabel('Knob threads').fill('3');
  await detail.getByRole('button', { name: 'Start' }).click();
  await expect(detail.getByText('running', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(detail.getByRole('region', { name: 'Output of cpu' }).or(detail.getByLabel('Output of cpu'))).toContainText(
    'cpu-pool listening on http://127.0.0.1:3991 (3 threads)',
  );
  const processes = detail.getByRole('table', { name: 'Service processes' });
  await expect(processes.locator('tbody tr')).toHaveCount(1, { timeout: 15_000 });
  await expect(processes.locator('tbody tr').first()).toContainText(/\d+(\.\d+)? MB/);
  await page.screenshot({ path: testInfo.outputPath('services-running.png'), fullPage: true });
  await detail.getByRole('button', { name: 'Stop' }).click();
  await expect(detail.getByText('stopped', { exact: true })).toBeVisible({ timeout: 15_000 });

  // A load run on the defined service, with its knob.
  await page.getByRole('link', { name: 'Load' }).click();
  await page.getByLabel('Target').selectOption('service');
  await page.getByLabel('Service', { exact: true }).selectOption('cpu');
  await page.getByLabel('Knob threads').fill('2');
  await page.getByLabel('Connections', { exact: true }).fill('2');
  await page.getByLabel('Duration (s)').fill('2');
  await page.getByLabel('Warm-up (s)').fill('0.5');
  const mix = page.getByRole('table', { name: 'Request mix' });
  while ((await mix.locator('tbody tr').count()) > 1) await mix.getByRole('button', { name: /Remove/ }).last().click();
  await page.getByLabel('Path of endpoint 1').fill('/work?n=20');
  await page.getByRole('button', { name: 'Run load' }).click();
  await expect(page.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 60_000 });
  const run = page.getByRole('region', { name: 'Current run' });
  await expect(run.getByText(/Completed/).first()).toBeVisible();
  await expect(run.getByLabel('Service output')).toContainText('cpu-pool listening on http://127.0.0.1:3991 (2 threads)');
  await expect(run.getByRole('region', { name: 'Run timeline' })).toContainText(/service cpu ready after/);
  await page.screenshot({ path: testInfo.outputPath('services-load-run.png'), fullPage: true });
});
