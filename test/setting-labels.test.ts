import { describe, expect, it } from 'vitest';
import { exampleSpecs, experimentKinds } from '../src/shared/specs/index.js';
import { settingLabelOf } from '../src/shared/specs/setting-labels.js';
import { orderSettings, settingOptionText } from '../src/renderer/studies/setting-labels.js';
import { settingPaths } from '../src/renderer/studies/sweep-draft.js';

describe('setting labels: one table for the forms and the sweep builder', () => {
  it.each([
    ['pool', 'pool.threads', 'Threads'],
    ['pool', 'task.params.limit', 'Task: Limit'],
    ['db', 'pool.max', 'Max clients'],
    ['load', 'load.rate', 'Rate (req/s)'],
    ['load', 'target.cluster.workers', 'Cluster: Workers'],
    ['load', 'target.knobs.poolMax', 'Knob poolMax'],
    ['memory', 'leakRule.minR2', 'Leak: R² at least'],
    ['memory', 'pool.threads', undefined],
  ] as const)('%s %s is "%s"', (kind, path, label) => {
    expect(settingLabelOf(kind, path)).toBe(label);
  });

  it.each(experimentKinds)('every setting of the %s example spec a sweep would offer has a label', (kind) => {
    const unlabelled = settingPaths(exampleSpecs[kind]).filter((path) => settingLabelOf(kind, path) === undefined);
    // Sampling and naming details are offered last, by path; everything else is named as its form names it.
    expect(unlabelled.filter((path) => !/^(seed|target\.type)$/.test(path))).toEqual([]);
  });

  it('the sweep builder offers knobs first, labelled settings next, bookkeeping last, each with its path', () => {
    expect(orderSettings('pool', ['sampleIntervalMs', 'somethingNew', 'pool.threads', 'target.knobs.x'])).toEqual([
      'target.knobs.x',
      'pool.threads',
      'somethingNew',
      'sampleIntervalMs',
    ]);
    expect(settingOptionText('pool', 'pool.threads')).toBe('Threads (pool.threads)');
    expect(settingOptionText('pool', 'somethingNew')).toBe('somethingNew');
    expect(settingOptionText(undefined, 'pool.threads')).toBe('pool.threads');
  });
});
