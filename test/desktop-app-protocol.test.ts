import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../src/main/host-binding.js';
import { rendererFileHandler } from '../src/main/desktop/app-protocol.js';
import { fakeElectron } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

// out/main (the built entry), out/renderer (what the scheme serves) and a secret beside them.
const root = mkdtempSync(path.join(os.tmpdir(), 'tunebench-app-scheme-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const builtDir = path.join(root, 'out', 'main');
const rendererDir = path.join(root, 'out', 'renderer');
mkdirSync(builtDir, { recursive: true });
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Tunebench</title>');
writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
writeFileSync(path.join(root, 'out', 'secret.txt'), 'outside the renderer folder');
symlinkSync(path.join(root, 'out', 'secret.txt'), path.join(rendererDir, 'assets', 'link.js'));

const policy = contentSecurityPolicy();
const serve = rendererFileHandler(rendererDir, policy);
const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

describe('the app scheme serves the renderer folder and nothing else', () => {
  it('is registered as a privileged (standard, secure) scheme before the app is ready, with no CSP bypass', async () => {
    await startShell({ builtDir });
    const calls = fakeElectron.app.calls;
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('whenReady'));
    expect(fakeElectron.protocol.privileged).toEqual([
      { scheme: 'tunebench', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it("the shell's handler serves index.html and assets with the Content-Security-Policy header", async () => {
    await startShell({ builtDir });
    const handler = fakeElectron.protocol.handlers.get('tunebench')!;
    const index = await handler(new Request('tunebench://app/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(policy);
    expect(policy).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>Tunebench</title>');
    const script = await handler(new Request('tunebench://app/assets/app.js#x'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("app")');
    expect((await handler(new Request('tunebench://app/'))).status).toBe(200);
  });

  it('refuses every way out of the folder', async () => {
    for (const url of [
      'tunebench://app/../secret.txt',
      'tunebench://app/%2e%2e/secret.txt',
      'tunebench://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'tunebench://app/assets/..%2f..%2fsecret.txt',
      'tunebench://app/%2fetc%2fpasswd',
      'tunebench://app/..%5c..%5csecret.txt',
      'tunebench://app/assets/link.js',
      'tunebench://app/assets',
      'tunebench://app/missing.js',
      'tunebench://other/index.html',
      'file:///etc/passwd',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).toBe('');
      expect(response.headers.get('content-security-policy'), url).toBe(policy);
    }
    expect((await get('tunebench://app/index.html%00.js')).status).toBe(400);
    expect((await get('tunebench://app/%E0%A4%A')).status).toBe(400);
    expect((await get('tunebench://app/index.html', 'POST')).status).toBe(405);
    const head = await get('tunebench://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
