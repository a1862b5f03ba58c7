import { useEffect, useState } from 'react';

/** `#/runs/abc?x=1` → page "runs", params ["abc"], query x=1. */
export interface Route {
  page: string;
  params: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const withoutMark = hash.replace(/^#\/?/, '');
  const queryAt = withoutMark.indexOf('?');
  const path = queryAt === -1 ? withoutMark : withoutMark.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : withoutMark.slice(queryAt + 1));
  const [page = '', ...params] = path.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { page, params, query };
}

export function href(path: string): string {
  return `#${path.startsWith('/') ? path : `/${path}`}`;
}

export function navigate(path: string): void {
  window.location.hash = href(path);
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return parseHash(hash);
}
