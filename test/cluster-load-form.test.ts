import { describe, expect, it } from 'vitest';
import {
  defaultClusterForm,
  defaultFaultForm,
  defaultLoadForm,
  faultErrors,
  faultFromForm,
  loadFormFromSpec,
  loadSpecFromForm,
  settingsFromForm,
} from '../src/renderer/cluster/cluster-form.js';

describe('the Cluster page forms', () => {
  it('turn the defaults into valid settings and a load on the running cluster', () => {
    expect(settingsFromForm(defaultClusterForm())).toMatchObject({ valid: true, settings: { workers: 2, scheduling: 'round-robin' } });
    const { spec, valid } = loadSpecFromForm(defaultLoadForm(), defaultClusterForm());
    expect(valid).toBe(true);
    expect(spec).toMatchObject({ kind: 'load', target: { type: 'running-cluster' }, load: { mode: 'closed' } });
  });

  it('name the field that is wrong', () => {
    expect(settingsFromForm({ ...defaultClusterForm(), workers: '65', poolThreads: 'many' }).errors).toEqual({
      workers: 'Must be at most 64',
      poolThreads: 'Must be a number',
    });
    const load = defaultLoadForm();
    const { errors, valid } = loadSpecFromForm(
      { ...load, mode: 'open', rate: '', mix: [{ ...load.mix[0]!, path: 'health', weight: '0' }] },
      defaultClusterForm(),
    );
    expect(valid).toBe(false);
    expect(errors).toMatchObject({
      rate: 'open loop needs a rate (requests/s)',
      'mix.0.path': 'must start with / and contain no spaces',
      'mix.0.weight': 'Must be more than 0',
    });
  });

  it('send the rate only in open loop, and a new cluster with the settings above', () => {
    const closed = loadSpecFromForm({ ...defaultLoadForm(), rate: '500' }, defaultClusterForm());
    expect(closed.valid).toBe(true);
    expect(closed.spec.load).not.toHaveProperty('rate');
    const cluster = { ...defaultClusterForm(), workers: '3', offload: false };
    const fresh = loadSpecFromForm({ ...defaultLoadForm(), target: 'cluster' }, cluster);
    expect(fresh.spec.target).toEqual({ type: 'cluster', cluster: expect.objectContaining({ workers: 3, offload: false }) });
    const broken = loadSpecFromForm({ ...defaultLoadForm(), target: 'cluster' }, { ...cluster, workers: '' });
    expect(broken.errors.cluster).toBe('Fix the cluster settings above first');
  });

  it('rebuild a saved run, its own cluster included, so it reruns the same', () => {
    const original = loadSpecFromForm(
      { ...defaultLoadForm(), target: 'cluster', mode: 'open', rate: '200', durationSec: '3', name: 'open 200' },
      { ...defaultClusterForm(), workers: '4', scheduling: 'os' },
    ).spec;
    const { form, cluster } = loadFormFromSpec(original);
    expect(cluster).toBeDefined();
    expect(loadSpecFromForm(form, cluster!).spec).toEqual(original);
  });

  it('act on a fault only with readable numbers, never a hidden default', () => {
    expect(faultFromForm('kill', 1, defaultFaultForm())).toEqual({ action: 'kill', slot: 1 });
    expect(faultFromForm('block', 0, { ...defaultFaultForm(), blockMs: '250' })).toEqual({ action: 'block', slot: 0, ms: 250 });
    const unreadable = { ...defaultFaultForm(), blockMs: 'soon', leakSeconds: '' };
    expect(faultFromForm('block', 0, unreadable)).toBeUndefined();
    expect(faultFromForm('leak', 0, unreadable)).toBeUndefined();
    expect(faultFromForm('kill', 0, unreadable)).toEqual({ action: 'kill', slot: 0 });
    expect(faultErrors(unreadable)).toEqual({ blockMs: 'Must be a number', leakSeconds: 'Required' });
  });
});
