/**
 * A run's findings: every rule of its kind and the common ones, over its
 * record (or its live parts), most severe first. A rule that throws is left
 * out: a finding is never worth a run.
 */
import { sortFindings, type Finding } from '../../../shared/findings.js';
import type { RunRecord } from '../../../shared/run-record.js';
import { commonRules } from './common.js';
import { dbRules } from './db.js';
import { loadRules } from './load.js';
import { memoryRules } from './memory.js';
import { poolRules } from './pool.js';
import type { FindingContext, FindingInput, FindingRule } from './rule.js';

export type { FindingContext, FindingInput, FindingRule } from './rule.js';

const rulesByKind: Record<string, readonly FindingRule[]> = {
  pool: poolRules,
  load: loadRules,
  db: dbRules,
  memory: memoryRules,
};

/** Findings shown at most, so the headline stays a headline. */
export const MAX_FINDINGS = 8;

export function findingsOf(input: FindingInput, context: FindingContext = { live: false }): Finding[] {
  const found: Finding[] = [];
  for (const rule of [...(rulesByKind[input.kind] ?? []), ...commonRules]) {
    try {
      const result = rule(input, context);
      if (!result) continue;
      if (Array.isArray(result)) found.push(...(result as readonly Finding[]));
      else found.push(result as Finding);
    } catch {
      // A rule that cannot read this record says nothing about it.
    }
  }
  return sortFindings(found).slice(0, MAX_FINDINGS);
}

/** A finished run's findings, from its record. */
export function findingsOfRecord(record: RunRecord, context: Omit<FindingContext, 'live'> = {}): Finding[] {
  return findingsOf(record, { ...context, live: false });
}
