import type { ComponentType } from 'react';
import { DbPage } from '../pages/DbPage.js';
import { PoolPage } from '../pages/PoolPage.js';
import { RunsPage } from '../pages/RunsPage.js';
import type { Route } from './router.js';

export interface PageProps {
  route: Route;
}

export interface PageEntry {
  /** The hash path segment: #/<id>. */
  id: string;
  title: string;
  /** The experiment kind this page runs, so "Rerun" and "Edit and rerun" land on it. */
  kind?: string;
  component: ComponentType<PageProps>;
}

/** The left navigation, in order. Adding a page is one entry here. */
export const pages: PageEntry[] = [
  { id: 'pool', title: 'Pool', kind: 'pool', component: PoolPage },
  { id: 'database', title: 'Database', kind: 'db', component: DbPage },
  { id: 'runs', title: 'Runs', component: RunsPage },
];

export const defaultPage = pages[0]!;

export function pageForKind(kind: string): PageEntry | undefined {
  return pages.find((page) => page.kind === kind);
}
