import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures.js';

test('the Load page exports its load as a k6 and an Artillery script, with what cannot be expressed named', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Load' }).click();
  await expect(page.getByRole('heading', { name: 'Load', level: 1 })).toBeVisible();
  const group = page.getByRole('group', { name: 'Export the load as a script' });

  const k6Download = page.waitForEvent('download');
  await group.getByRole('button', { name: 'k6 script' }).click();
  const k6 = await k6Download;
  expect(k6.suggestedFilename()).toMatch(/\.k6\.js$/);
  const script = await readFile(await k6.path(), 'utf8');
  expect(script).toContain("import http from 'k6/http';");
  expect(script).toContain('"tb_measured"');
  // The default target is the standing cluster, which has no address outside the workbench: the notes say what to do instead.
  await expect(group.getByText(/address as TARGET_URL/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('load-export-k6.png'), fullPage: true });

  const artilleryDownload = page.waitForEvent('download');
  await group.getByRole('button', { name: 'Artillery script' }).click();
  const artillery = await artilleryDownload;
  expect(artillery.suggestedFilename()).toMatch(/\.artillery\.yml$/);
  expect(await readFile(await artillery.path(), 'utf8')).toContain('  phases:\n');
  await expect(group.getByText(/Closed loop becomes open loop/)).toBeVisible();
});
