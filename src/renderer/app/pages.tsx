import { lazy, type ComponentType } from 'react';
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
  /** Starts loading the page's code without rendering it. */
  preload(): void;
}

/*
 * Each page is its own chunk, loaded when first shown: the shell starts
 * without evaluating every page, the spec schemas and the chart library in
 * one long task, and a page's code arrives in tasks of its own.
 */
function lazyPage(load: () => Promise<ComponentType<PageProps>>): Pick<PageEntry, 'component' | 'preload'> {
  // A failed early load is not an error yet: rendering the page loads it again and shows what went wrong.
  return { component: lazy(async () => ({ default: await load() })), preload: () => void load().catch(() => {}) };
}
const PoolPage = lazyPage(() => import('../pool/PoolPage.js').then((module) => module.PoolPage));
const LoadPage = lazyPage(() => import('../load/LoadPage.js').then((module) => module.LoadPage));
const DbPage = lazyPage(() => import('../db/DbPage.js').then((module) => module.DbPage));
const MemoryPage = lazyPage(() => import('../memory/MemoryPage.js').then((module) => module.MemoryPage));
const EventLoopPage = lazyPage(() => import('../memory/EventLoopPage.js').then((module) => module.EventLoopPage));
const ServicesPage = lazyPage(() => import('../services/ServicesPage.js').then((module) => module.ServicesPage));
const RunsPage = lazyPage(() => import('../runs/RunsPage.js').then((module) => module.RunsPage));
const SweepsPage = lazyPage(() => import('../studies/SweepsPage.js').then((module) => module.SweepsPage));
const ComparePage = lazyPage(() => import('../studies/ComparePage.js').then((module) => module.ComparePage));
const SettingsPage = lazyPage(() => import('../settings/SettingsPage.js').then((module) => module.SettingsPage));

/** The left navigation, in order. Adding a page is one entry here. */
export const pages: PageEntry[] = [
  { id: 'pool', title: 'Pool', kind: 'pool', ...PoolPage },
  { id: 'load', title: 'Load', kind: 'load', ...LoadPage },
  { id: 'database', title: 'Database', kind: 'db', ...DbPage },
  { id: 'memory', title: 'Memory', kind: 'memory', ...MemoryPage },
  { id: 'event-loop', title: 'Event Loop', ...EventLoopPage },
  { id: 'services', title: 'Services', ...ServicesPage },
  { id: 'runs', title: 'Runs', ...RunsPage },
  { id: 'sweeps', title: 'Sweeps', ...SweepsPage },
  { id: 'compare', title: 'Compare', ...ComparePage },
  { id: 'settings', title: 'Settings', ...SettingsPage },
];

export const defaultPage = pages[0]!;

/** Routes that pages had before they took their kind's name; old links and bookmarks still land. */
const formerIds: Record<string, string> = { cluster: 'load' };

/** The page a route shows: the default one for an empty or unknown route. */
export function pageForRoute(route: Route): PageEntry {
  const id = formerIds[route.page] ?? route.page;
  return pages.find((entry) => entry.id === id) ?? defaultPage;
}

export function pageForKind(kind: string): PageEntry | undefined {
  return pages.find((page) => page.kind === kind);
}
