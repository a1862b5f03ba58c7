import { describe, expect, it } from 'vitest';
import { hostSocketUrl, SESSION_TOKEN_KEY, takeSessionToken } from '../src/renderer/bridge/websocket-bridge.js';

/** A tab: its address, its history entries and its sessionStorage. */
function tab(href: string) {
  const entries = [href];
  const storage = new Map<string, string>();
  const page = {
    location: { href },
    history: {
      state: null,
      replaceState(_state: unknown, _title: string, url: string) {
        const next = new URL(url, page.location.href).href;
        entries[entries.length - 1] = next;
        page.location.href = next;
      },
    },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
  };
  return { page, entries, storage };
}

describe('the web page keeps its session token out of the address bar', () => {
  it('moves the token from the address into the tab and out of its history', () => {
    const { page, entries, storage } = tab('http://127.0.0.1:4000/?token=s3cret&x=1#/runs');
    expect(takeSessionToken(page, 'token')).toBe('s3cret');
    expect(page.location.href).toBe('http://127.0.0.1:4000/?x=1#/runs');
    expect(entries.join(' ')).not.toContain('s3cret');
    expect(storage.get(SESSION_TOKEN_KEY)).toBe('s3cret');
  });

  it('finds it again after a reload, when the address no longer has it', () => {
    const { page } = tab('http://127.0.0.1:4000/?token=s3cret');
    takeSessionToken(page, 'token');
    page.location.href = 'http://127.0.0.1:4000/';
    expect(takeSessionToken(page, 'token')).toBe('s3cret');
  });

  it('gives the socket the token, and no token when the tab has none', () => {
    const location = { protocol: 'http:', host: '127.0.0.1:4000' };
    expect(hostSocketUrl(location, '/ws', 'token', 'a/b')).toBe('ws://127.0.0.1:4000/ws?token=a%2Fb');
    const { page } = tab('http://127.0.0.1:4000/');
    expect(hostSocketUrl(location, '/ws', 'token', takeSessionToken(page, 'token'))).toBe('ws://127.0.0.1:4000/ws');
  });
});
