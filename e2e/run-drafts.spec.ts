import { expect, test } from './fixtures.js';

/** Every run page keeps what was typed into its form the same way (a module-level draft): a visit to another page loses nothing. */
test('each run page keeps its form across a visit to another page', async ({ page, webHost }) => {
  await page.goto(webHost.url);
  const fields = [
    { page: 'Pool', label: 'Name', value: 'my pool draft' },
    { page: 'Load', label: 'Name', value: 'my load draft' },
    { page: 'Load', label: 'Block for (ms)', value: '321' },
    { page: 'Database', label: 'Name', value: 'my db draft' },
    { page: 'Memory', label: 'Name', value: 'my memory draft' },
    { page: 'Event Loop', label: 'CPU task (ms)', value: '42' },
  ];
  const open = async (name: string) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  };
  for (const field of fields) {
    await open(field.page);
    await page.getByLabel(field.label, { exact: true }).fill(field.value);
  }
  await open('Runs');
  for (const field of fields) {
    await open(field.page);
    await expect(page.getByLabel(field.label, { exact: true })).toHaveValue(field.value);
  }
});
