import { expect, test } from './fixtures.js';

test('the session token leaves the address bar at once and a reload stays connected', async ({ page, webHost }) => {
  const token = new URL(webHost.url).searchParams.get('token')!;
  await page.goto(webHost.url);
  await page.getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByRole('heading', { name: 'Runs', level: 1 })).toBeVisible();
  expect(page.url()).not.toContain(token);
  expect(await page.evaluate(() => window.location.href)).not.toContain('token=');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Runs', level: 1 })).toBeVisible();
  // Connected: the page could ask the engine for its version.
  await page.getByRole('link', { name: 'Pool' }).click();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  expect(page.url()).not.toContain(token);

  // A tab opened without the token (the address a user might copy now) gets no session.
  const stranger = await page.context().newPage();
  const response = await stranger.goto(webHost.url.replace(/\?token=[^#]*/, ''));
  expect(response?.status()).toBe(200); // the page loads from the cookie, but ...
  const socketOpened = await stranger.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => resolve(true);
        socket.onerror = () => resolve(false);
      }),
    webHost.url.replace(/^http/, 'ws').replace(/\/\?token=.*/, '/ws'),
  );
  expect(socketOpened).toBe(false);
  await expect(stranger.getByRole('alert').filter({ hasText: 'Disconnected' })).toContainText('this tab has no session token: open the address the Tunebench host printed');
});
