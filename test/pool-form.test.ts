import { describe, expect, it } from 'vitest';
import { examplePoolSpec, PoolSpecSchema } from '../src/shared/specs/index.js';
import { defaultPoolForm, formFromSpec, specFromForm } from '../src/renderer/pool/pool-form.js';

describe('the Pool page form validates with the engine schema and names the field at fault', () => {
  it('turns the default form into a spec the engine accepts', () => {
    const { spec, errors, valid } = specFromForm(defaultPoolForm());
    expect(errors).toEqual({});
    expect(valid).toBe(true);
    expect(PoolSpecSchema.parse(spec)).toEqual(PoolSpecSchema.parse({ ...examplePoolSpec, name: undefined }));
  });

  it('puts each problem next to its field', () => {
    const form = defaultPoolForm();
    const { errors, valid } = specFromForm({
      ...form,
      threads: '65',
      jobs: '',
      concurrency: 'many',
      maxOldGenerationMb: '8',
      params: { ...form.params, primes: { limit: '1.5' } },
    });
    expect(valid).toBe(false);
    expect(errors).toEqual({
      threads: 'Must be at most 64',
      jobs: 'Required',
      concurrency: 'Must be a number',
      maxOldGenerationMb: 'Must be at least 16',
      'param.limit': 'Must be a whole number',
    });
  });

  it('leaves an empty optional field out of the spec', () => {
    const { spec, valid } = specFromForm({ ...defaultPoolForm(), maxOldGenerationMb: '  ', name: '' });
    expect(valid).toBe(true);
    expect(spec.pool).not.toHaveProperty('maxOldGenerationMb');
    expect(spec).not.toHaveProperty('name');
  });

  it('round-trips a saved spec for "Edit and rerun", keeping the other tasks\' defaults', () => {
    const saved = {
      kind: 'pool',
      task: { name: 'blur', params: { width: 64, height: 32, seed: 7 } },
      pool: { implementation: 'simple', threads: 3, maxQueue: 10, maxOldGenerationMb: 64 },
      jobs: 40,
      concurrency: 4,
      sampleIntervalMs: 100,
      timeLimitSec: 30,
    };
    const form = formFromSpec(saved);
    expect(form.task).toBe('blur');
    expect(form.params.blur).toEqual({ width: '64', height: '32', seed: '7' });
    expect(form.params.fibonacci).toEqual({ n: '25' });
    expect(specFromForm(form).spec).toEqual(saved);
  });
});
