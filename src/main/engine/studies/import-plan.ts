import { randomBytes } from 'node:crypto';
import { TunebenchError } from '../../../shared/errors.js';
import { MAX_ID_LENGTH } from '../../../shared/ids.js';
import type { ReportFile } from '../../../shared/studies.js';
import type { RunRecord } from '../../../shared/run-record.js';
import type { SweepRecord } from '../../../shared/specs/sweep.js';

/** What an import will write, decided before anything is written. */
export interface ImportPlan {
  runs: RunRecord[];
  sweep?: SweepRecord;
  /** Ids already in the data directory with the same content: nothing to write. */
  skipped: string[];
  /** Ids already taken by something else (or not usable here): imported under a new id. */
  renamed: Array<{ type: 'run' | 'sweep'; from: string; to: string }>;
}

/** What the plan needs to know about the data directory; read-only. */
export interface ImportTarget {
  /** The record saved under this id, or undefined when the id is free. */
  existingRun(id: string): Promise<RunRecord | undefined>;
  existingSweep(id: string): Promise<SweepRecord | undefined>;
  /** False for ids a store keeps for itself (e.g. its "corrupt" folder). */
  acceptsRunId(id: string): boolean;
  acceptsSweepId(id: string): boolean;
}

/**
 * Decides, for every run and sweep of a validated report, whether it is new
 * (kept with its id), already here (same content: skipped) or clashing with
 * something else (a fresh id, and every reference to it inside the file
 * follows). Imports never overwrite.
 */
export async function planImport(report: ReportFile, target: ImportTarget): Promise<ImportPlan> {
  const incomingRuns =
    report.type === 'run' ? [report.run] : report.type === 'sweep' ? report.runs : uniqueById([...report.baselineRuns, ...report.candidateRuns]);
  const plan: ImportPlan = { runs: [], skipped: [], renamed: [] };
  const runIds = new Map<string, string>();
  const chosenRunIds = new Set<string>();

  let sweep: SweepRecord | undefined;
  let sweepId: string | undefined;
  if (report.type === 'sweep') {
    const incoming = report.sweep;
    const existing = await target.existingSweep(incoming.id);
    if (existing && sameContent(existing, incoming)) {
      plan.skipped.push(incoming.id);
      sweepId = incoming.id;
    } else {
      sweepId = existing || !target.acceptsSweepId(incoming.id) ? await freshId(incoming.id, async (id) => target.acceptsSweepId(id) && !(await target.existingSweep(id))) : incoming.id;
      if (sweepId !== incoming.id) plan.renamed.push({ type: 'sweep', from: incoming.id, to: sweepId });
      // A sweep that was running when exported is, here, one that will never finish.
      sweep = { ...incoming, id: sweepId, status: incoming.status === 'running' ? 'stopped' : incoming.status };
    }
  }

  const pending: RunRecord[] = [];
  for (const run of incomingRuns) {
    const existing = await target.existingRun(run.id);
    if (existing && sameContent(existing, run)) {
      plan.skipped.push(run.id);
      continue;
    }
    const free = async (id: string) => target.acceptsRunId(id) && !chosenRunIds.has(id) && !(await target.existingRun(id));
    const id = existing || !target.acceptsRunId(run.id) || chosenRunIds.has(run.id) ? await freshId(run.id, free) : run.id;
    if (id !== run.id) plan.renamed.push({ type: 'run', from: run.id, to: id });
    runIds.set(run.id, id);
    chosenRunIds.add(id);
    pending.push(run);
  }

  const renameRun = (id: string | undefined) => (id === undefined ? undefined : (runIds.get(id) ?? id));
  for (const run of pending) {
    const origin = run.origin
      ? {
          ...run.origin,
          ...(run.origin.rerunOf !== undefined ? { rerunOf: renameRun(run.origin.rerunOf) } : {}),
          ...(run.origin.sweepId !== undefined && report.type === 'sweep' && run.origin.sweepId === report.sweep.id ? { sweepId } : {}),
        }
      : undefined;
    plan.runs.push({ ...run, id: runIds.get(run.id)!, ...(origin ? { origin } : {}) });
  }
  if (sweep) plan.sweep = { ...sweep, runs: sweep.runs.map((entry) => ({ ...entry, runId: renameRun(entry.runId)! })) };
  return plan;
}

/** The id with a suffix that nothing has yet, within the id length limit. */
async function freshId(base: string, isFree: (id: string) => Promise<boolean>): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const suffix = `-imported-${randomBytes(4).toString('hex')}`;
    const candidate = `${base.slice(0, MAX_ID_LENGTH - suffix.length)}${suffix}`;
    if (await isFree(candidate)) return candidate;
  }
  throw new TunebenchError('TB_INTERNAL', { detail: `no free id found for an imported copy of "${base}"` });
}

function uniqueById(runs: RunRecord[]): RunRecord[] {
  return [...new Map(runs.map((run) => [run.id, run])).values()];
}

/** Same content whatever the key order: a report re-exported from another machine may order keys differently. */
function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : item,
  );
}
