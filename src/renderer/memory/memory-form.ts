/**
 * The Memory page's form as text fields, and its translation to a MemorySpec,
 * validated by the engine's own schema so the form never accepts what the
 * engine would reject.
 */
import {
  exampleMemorySpec,
  MemorySpecSchema,
  type MemoryScenario,
  type MemorySpecInput,
} from '../../shared/specs/index.js';
import { defined, describeIssue, readNumber } from '../form-issues.js';

export const memoryNumberFields = [
  { key: 'durationSec', label: 'Duration (s)', hint: 'How long the scenario allocates' },
  { key: 'rate', label: 'Rate (per s)', hint: 'Objects, buffers or jobs per second' },
  { key: 'objectSizeBytes', label: 'Object size (bytes)', hint: 'Empty: 1 KB, or 1 MB for buffers' },
  { key: 'retainMs', label: 'Retain (ms)', hint: 'How long churned objects stay reachable' },
  { key: 'maxOldSpaceMb', label: '--max-old-space-size (MB)', hint: 'Empty: Node’s default' },
  { key: 'workerHeapMb', label: 'Worker heap limit (MB)', hint: 'oom-worker: resourceLimits' },
  { key: 'taskMs', label: 'CPU task (ms)', hint: 'cpu-main / cpu-pool: one task’s length' },
  { key: 'probeIntervalMs', label: 'Probe interval (ms)', hint: '100 ms to 60 s' },
] as const;

export const leakRuleFields = [
  { key: 'minGrowthMbPerMin', label: 'Leak: growth at least (MB/min)' },
  { key: 'minR2', label: 'Leak: R² at least' },
  { key: 'sustainSec', label: 'Leak: sustained for (s)' },
  { key: 'windowSec', label: 'Leak: window (s)' },
  { key: 'warmupSec', label: 'Leak: ignore first (s)' },
] as const;

type NumberKey = (typeof memoryNumberFields)[number]['key'];
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
  const numbers = Object.fromEntries(
    memoryNumberFields.map(({ key }) => [key, readNumber(key, form.numbers[key], errors)]),
  );
  const ruleErrors: Partial<Record<LeakKey, string>> = {};
  const leakRule = Object.fromEntries(leakRuleFields.map(({ key }) => [key, readNumber(key, form.leakRule[key], ruleErrors)]));
  for (const [key, message] of Object.entries(ruleErrors)) errors[`leakRule.${key as LeakKey}`] = message;
  const spec = defined({
    kind: 'memory' as const,
    name: form.name.trim() || undefined,
    scenario: form.scenario,
    ...numbers,
    leakRule: defined(leakRule),
    snapshots: form.snapshots,
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
