import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRendererAddress } from '../src/main/host-binding.js';

describe('the desktop shell accepts engine calls only from its own renderer page', () => {
  const indexFile = path.resolve('/opt/tunebench/out/renderer/index.html');
  const built = { indexFile };

  it('accepts the built index.html, whichever page its hash routes to', () => {
    expect(isRendererAddress(pathToFileURL(indexFile).href, built)).toBe(true);
    expect(isRendererAddress(`${pathToFileURL(indexFile).href}#/runs/20261125T101010-pool-abc123`, built)).toBe(true);
  });

  it('refuses another local file, a web page, and an unreadable address', () => {
    expect(isRendererAddress(pathToFileURL(path.resolve('/tmp/evil.html')).href, built)).toBe(false);
    expect(isRendererAddress('https://example.com/out/renderer/index.html', built)).toBe(false);
    expect(isRendererAddress('about:blank', built)).toBe(false);
    expect(isRendererAddress('not a url', built)).toBe(false);
  });

  it("in dev, accepts only the Vite server's origin", () => {
    const dev = { devServerUrl: 'http://localhost:5173/' };
    expect(isRendererAddress('http://localhost:5173/#/pool', dev)).toBe(true);
    expect(isRendererAddress('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererAddress(pathToFileURL(indexFile).href, dev)).toBe(false);
  });
});
