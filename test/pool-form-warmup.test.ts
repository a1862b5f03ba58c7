import { describe, expect, it } from 'vitest';
import { defaultPoolForm, formFromSpec, specFromForm } from '../src/renderer/pool/pool-form.js';

describe('the Pool page form: warm-up', () => {
  it('leaves blank warm-up fields out of the spec (the default warm-up) and sends what is typed', () => {
    const blank = specFromForm(defaultPoolForm());
    expect(blank.valid).toBe(true);
    expect(blank.spec).not.toHaveProperty('warmupSec');
    expect(blank.spec).not.toHaveProperty('warmupJobs');

    const typed = specFromForm({ ...defaultPoolForm(), warmupSec: '2.5', warmupJobs: '0' });
    expect(typed.valid).toBe(true);
    expect(typed.spec).toMatchObject({ warmupSec: 2.5, warmupJobs: 0 });
    expect(formFromSpec(typed.spec)).toMatchObject({ warmupSec: '2.5', warmupJobs: '0' });
  });

  it('puts a bad warm-up next to its field', () => {
    const { errors, valid } = specFromForm({ ...defaultPoolForm(), warmupSec: '-1', warmupJobs: '1.5' });
    expect(valid).toBe(false);
    expect(errors).toEqual({ warmupSec: 'Must be at least 0', warmupJobs: 'Must be a whole number' });
  });
});
