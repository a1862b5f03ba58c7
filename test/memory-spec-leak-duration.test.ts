import { describe, expect, it } from 'vitest';
import { defaultMemoryForm, specFromForm } from '../src/renderer/memory/memory-form.js';
import { exampleMemorySpec, MemorySpecSchema, memoryScenarios, minimumLeakDurationSec } from '../src/shared/specs/memory.js';
import { engineFactory } from './fixtures/engine.js';

const engines = engineFactory();

describe('a memory spec too short for its leak rule is refused, naming the fields', () => {
  it('refuses a heap scenario whose duration cannot cover warm-up + sustain', () => {
    const parsed = MemorySpecSchema.safeParse({ kind: 'memory', scenario: 'leak', durationSec: 20, leakRule: { warmupSec: 5, sustainSec: 20 } });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).toEqual(['durationSec']);
    expect(issue.message).toBe(
      'durationSec 20 cannot cover leakRule.warmupSec 5 + leakRule.sustainSec 20 (+ 5 s for the major GCs to land), so no leak verdict could be reached; ' +
        'use durationSec ≥ 30 or lower leakRule.sustainSec or leakRule.warmupSec',
    );
  });

  it('refuses a window that could never hold sustainSec of growth', () => {
    const parsed = MemorySpecSchema.safeParse({ kind: 'memory', scenario: 'churn', durationSec: 60, leakRule: { windowSec: 10, sustainSec: 20 } });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['leakRule', 'windowSec'], message: expect.stringContaining('shorter than sustainSec 20') });
  });

  it('accepts the defaults, the example and the Memory page form as they come', () => {
    for (const scenario of memoryScenarios) expect(MemorySpecSchema.safeParse({ kind: 'memory', scenario }).success, scenario).toBe(true);
    const defaults = MemorySpecSchema.parse({ kind: 'memory', scenario: 'leak' });
    expect(defaults.durationSec).toBeGreaterThanOrEqual(minimumLeakDurationSec(defaults.leakRule));
    expect(MemorySpecSchema.safeParse(exampleMemorySpec).success).toBe(true);
    expect(specFromForm(defaultMemoryForm()).valid).toBe(true);
  });

  it('leaves the CPU and worker scenarios alone: their subject is not the heap', () => {
    for (const scenario of ['cpu-main', 'cpu-pool', 'oom-worker'] as const) {
      expect(MemorySpecSchema.safeParse({ kind: 'memory', scenario, durationSec: 3 }).success, scenario).toBe(true);
    }
  });

  it('shows the message at the duration field of the Memory page', () => {
    const form = defaultMemoryForm();
    const { valid, errors } = specFromForm({ ...form, numbers: { ...form.numbers, durationSec: '8' } });
    expect(valid).toBe(false);
    expect(errors.durationSec).toMatch(/durationSec 8 cannot cover leakRule\.warmupSec 3 \+ leakRule\.sustainSec 10 .* use durationSec ≥ 16/);
  });

  it('refuses it at runs.start before anything starts', async () => {
    const engine = await engines.open(await engines.tempDir());
    const envelope = await engine.dispatch('runs.start', { spec: { kind: 'memory', scenario: 'churn', durationSec: 5 } });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.message).toMatch(/durationSec 5 cannot cover leakRule\.warmupSec 5 \+ leakRule\.sustainSec 10/);
    expect(engine.runs.activeRuns()).toEqual([]);
  });
});
