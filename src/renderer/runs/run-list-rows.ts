import type { RunListItem } from '../../shared/run-record.js';

export type ListRow = { type: 'run'; run: RunListItem } | { type: 'sweep'; sweepId: string; runs: RunListItem[] };

/** The rows shown: every run, or (grouped) a sweep's runs under one row where its newest run stands. */
export function listRows(runs: readonly RunListItem[], grouped: boolean): ListRow[] {
  if (!grouped) return runs.map((run) => ({ type: 'run', run }));
  const rows: ListRow[] = [];
  const groups = new Map<string, RunListItem[]>();
  for (const run of runs) {
    if (!run.sweepId) {
      rows.push({ type: 'run', run });
      continue;
    }
    const group = groups.get(run.sweepId);
    if (group) group.push(run);
    else {
      const members = [run];
      groups.set(run.sweepId, members);
      rows.push({ type: 'sweep', sweepId: run.sweepId, runs: members });
    }
  }
  return rows;
}

/** Two ticked runs of one kind, the older as baseline; otherwise why Compare is off. */
export function comparePair(selected: readonly RunListItem[]): { ok: true; baseline: RunListItem; candidate: RunListItem } | { ok: false; why: string } {
  if (selected.length < 2) return { ok: false, why: 'Tick two runs to compare them.' };
  const [a, b] = selected as [RunListItem, RunListItem];
  if (a.kind !== b.kind) return { ok: false, why: `A ${a.kind} run and a ${b.kind} run cannot be compared: runs of different kinds measure different things.` };
  if (a.status === 'running' || b.status === 'running') return { ok: false, why: 'A run still running cannot be compared yet.' };
  return a.startedAt <= b.startedAt ? { ok: true, baseline: a, candidate: b } : { ok: true, baseline: b, candidate: a };
}

/**
 * The settings worth a column of their own: none when the name already says
 * them (an unnamed run, or a sweep's run named "<settings> #2"), so the list
 * does not print the same words twice on one row.
 */
export function settingsBesideName(run: Pick<RunListItem, 'name' | 'settings'>): string | undefined {
  if (!run.settings) return undefined;
  return run.name.includes(run.settings) ? undefined : run.settings;
}
