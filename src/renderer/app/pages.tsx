import type { ComponentType } from 'react';
import { ClusterPage } from '../pages/ClusterPage.js';
import { DbPage } from '../pages/DbPage.js';
import { MemoryPage } from '../pages/MemoryPage.js';
import { EventLoopPage } from '../pages/EventLoopPage.js';
import { PoolPage } from '../pages/PoolPage.js';
import { RunsPage } from '../pages/RunsPage.js';
import { ComparePage } from '../experiments/ComparePage.js';
import { SweepsPage } from '../experiments/SweepsPage.js';
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
  { id: 'cluster', title: 'Cluster', kind: 'load', component: ClusterPage },
  { id: 'database', title: 'Database', kind: 'db', component: DbPage },
  { id: 'memory', title: 'Memory', kind: 'memory', component: MemoryPage },
  { id: 'event-loop', title: 'Event Loop', component: EventLoopPage },
  { id: 'runs', title: 'Runs', component: RunsPage },
  { id: 'sweeps', title: 'Sweeps', component: SweepsPage },
  { id: 'compare', title: 'Compare', component: ComparePage },
];

export const defaultPage = pages[0]!;

export function pageForKind(kind: string): PageEntry | undefined {
  return pages.find((page) => page.kind === kind);
}
