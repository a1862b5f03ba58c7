/**
 * Settings that belong to the host, never to a spec. A spec (a file, a sweep
 * axis, a saved run's spec on rerun) is untrusted input: it may not name a
 * program to run, a file to write outside the data directory, or the
 * environment of a child process. Fields that specs once had and that now
 * live in the host's settings are refused with a message saying where.
 */
import type { z } from 'zod';

/** Field name → where its setting lives now. */
export const movedToHostSettings: Readonly<Record<string, string>> = {
  nodePath: 'choose the Node runtime with --node <path> (CLI, web host) or "nodePath" in the desktop app\'s settings.json',
};

function isMoved(field: string): boolean {
  return Object.prototype.hasOwnProperty.call(movedToHostSettings, field);
}

/** E.g. `"target.cluster.nodePath" is no longer a spec setting: choose the Node runtime with --node ...`. */
export function movedFieldMessage(path: readonly PropertyKey[], field: string): string {
  const dotted = [...path.map(String), field].join('.');
  return `"${dotted}" is no longer a spec setting: ${movedToHostSettings[field]}`;
}

/** The first segment of a dotted setting path (a sweep axis) that names a moved field, if any. */
export function movedFieldIn(dottedPath: string): string | undefined {
  return dottedPath.split('.').find(isMoved);
}

/**
 * The error map of a strict spec object: an unknown key that moved to the
 * host's settings is reported with where it lives now; other issues keep
 * zod's own messages.
 */
export function refuseMovedFields(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const keys = (issue as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return undefined;
  const moved = keys.filter((key): key is string => typeof key === 'string' && isMoved(key));
  if (!moved.length) return undefined;
  const others = keys.filter((key) => !moved.includes(key as string));
  const path = issue.path ?? [];
  return [
    ...moved.map((field) => movedFieldMessage(path, field)),
    ...(others.length ? [`unrecognized key${others.length > 1 ? 's' : ''}: ${others.map((key) => JSON.stringify(key)).join(', ')}`] : []),
  ].join('; ');
}
