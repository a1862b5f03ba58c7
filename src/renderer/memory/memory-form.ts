/**
 * The Memory page's form as text fields, and its translation to a MemorySpec,
 * validated by the engine's own schema so the form never accepts what the
 * engine would reject.
 */
import {
  exampleMemorySpec,
  leakVerdictScenarios,
  MemorySpecSchema,
  type MemoryScenario,
  type MemorySpecInput,
} from '../../shared/specs/index.js';
import { defined, describeIssue, readNumber } from '../form-issues.js';
import { memorySettingLabels as labels } from '../../shared/specs/setting-labels.js';

export const memoryNumberFields = [
  { key: 'durationSec', label: labels.durationSec, hint: 'How long the scenario allocates' },
  { key: 'rate', label: labels.rate, hint: 'Objects, buffers or jobs per second' },
  { key: 'objectSizeBytes', label: labels.objectSizeBytes, hint: 'Empty: 1 KB, or 1 MB for buffers' },
  { key: 'retainMs', label: labels.retainMs, hint: 'How long churned objects stay reachable' },
  { key: 'maxOldSpaceMb', label: labels.maxOldSpaceMb, hint: 'Empty: Node’s default' },
  { key: 'workerHeapMb', label: labels.workerHeapMb, hint: 'oom-worker: resourceLimits' },
  { key: 'taskMs', label: labels.taskMs, hint: 'cpu-main / cpu-pool: one task’s length' },
  { key: 'probeIntervalMs', label: labels.probeIntervalMs, hint: '100 ms to 60 s' },
] as const;

export const leakRuleFields = [
  { key: 'minGrowthMbPerMin', label: labels['leakRule.minGrowthMbPerMin'] },
  { key: 'minR2', label: labels['leakRule.minR2'] },
  { key: 'sustainSec', label: labels['leakRule.sustainSec'] },
  { key: 'windowSec', label: labels['leakRule.windowSec'] },
  { key: 'warmupSec', label: labels['leakRule.warmupSec'] },
] as const;

type NumberKey = (typeof memoryNumberFields)[number]['key'];

/** How far the arrow keys move a field: R² is a share (0 to 1), the rest whole units. */
export function stepOf(key: string): number {
  return key === 'minR2' ? 0.05 : 1;
}

/** The scenarios as the form names them. */
export const scenarioLabels: Record<MemoryScenario, string> = {
  leak: 'Steady leak',
  churn: 'Churn (short-lived objects)',
  buffers: 'Large buffers',
  'oom-worker': 'Worker runs out of heap',
  'cpu-main': 'CPU task on the main thread',
  'cpu-pool': 'CPU task offloaded to a pool',
};

/** The settings each scenario reads; the form shows only these and the spec carries only these (the rest take their defaults). */
export const scenarioNumberFields: Record<MemoryScenario, readonly NumberKey[]> = {
  leak: ['durationSec', 'rate', 'objectSizeBytes', 'maxOldSpaceMb', 'probeIntervalMs'],
  churn: ['durationSec', 'rate', 'objectSizeBytes', 'retainMs', 'maxOldSpaceMb', 'probeIntervalMs'],
  buffers: ['durationSec', 'rate', 'objectSizeBytes', 'retainMs', 'maxOldSpaceMb', 'probeIntervalMs'],
  'oom-worker': ['durationSec', 'rate', 'workerHeapMb', 'maxOldSpaceMb', 'probeIntervalMs'],
  'cpu-main': ['durationSec', 'rate', 'taskMs', 'probeIntervalMs'],
  'cpu-pool': ['durationSec', 'rate', 'taskMs', 'probeIntervalMs'],
};

/** Whether the leak detector's rule (and the start and end heap snapshots) matter to a scenario: its subject is the heap. */
export function usesLeakRule(scenario: MemoryScenario): boolean {
  return leakVerdictScenarios.includes(scenario);
}

/** The number fields the form shows for a scenario, in the form's order. */
export function numberFieldsOf(scenario: MemoryScenario) {
  const keys = new Set<NumberKey>(scenarioNumberFields[scenario]);
  return memoryNumberFields.filter(({ key }) => keys.has(key));
}
type LeakKey = (typeof leakRuleFields)[number]['key'];
export type MemoryFormField = NumberKey | `leakRule.${LeakKey}` | 'scenario' | 'name' | 'snapshots' | 'form';
export type MemoryFormErrors = Partial<Record<MemoryFormField, string>>;

export interface MemoryForm {
  name: string;
  scenario: MemoryScenario;
  numbers: Record<NumberKey, string>;
  leakRule: Record<LeakKey, string>;
  snapshots: boolean;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function formFromSpec(spec: Record<string, unknown>): MemoryForm {
  const parsed = MemorySpecSchema.safeParse({ ...spec, kind: 'memory' });
  const source = (parsed.success ? parsed.data : MemorySpecSchema.parse(exampleMemorySpec)) as Record<string, unknown>;
  const rule = (source.leakRule ?? {}) as Record<string, unknown>;
  return {
    name: text(source.name),
    scenario: source.scenario as MemoryScenario,
    numbers: Object.fromEntries(memoryNumberFields.map(({ key }) => [key, text(source[key])])) as MemoryForm['numbers'],
    leakRule: Object.fromEntries(leakRuleFields.map(({ key }) => [key, text(rule[key])])) as MemoryForm['leakRule'],
    snapshots: Boolean(source.snapshots),
  };
}

export const defaultMemoryForm = (): MemoryForm => formFromSpec(exampleMemorySpec as Record<string, unknown>);

export function specFromForm(form: MemoryForm): { spec: MemorySpecInput; errors: MemoryFormErrors; valid: boolean } {
  const errors: MemoryFormErrors = {};
  // A field the scenario does not read is not shown, so it must not hold the run back either.
  const numbers = Object.fromEntries(
    numberFieldsOf(form.scenario).map(({ key }) => [key, readNumber(key, form.numbers[key], errors)]),
  );
  const heap = usesLeakRule(form.scenario);
  const ruleErrors: Partial<Record<LeakKey, string>> = {};
  const leakRule = heap ? Object.fromEntries(leakRuleFields.map(({ key }) => [key, readNumber(key, form.leakRule[key], ruleErrors)])) : {};
  for (const [key, message] of Object.entries(ruleErrors)) errors[`leakRule.${key as LeakKey}`] = message;
  const spec = defined({
    kind: 'memory' as const,
    name: form.name.trim() || undefined,
    scenario: form.scenario,
    ...numbers,
    leakRule: heap ? defined(leakRule) : undefined,
    snapshots: heap ? form.snapshots : undefined,
  }) as MemorySpecInput;
  const parsed = MemorySpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = (issue.path.map(String).join('.') || 'form') as MemoryFormField;
      errors[field] ??= describeIssue(issue);
    }
  }
  return { spec, errors, valid: Object.keys(errors).length === 0 };
}
