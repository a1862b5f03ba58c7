import { describe, expect, it } from 'vitest';
import { defaultDbForm, formFromSpec, specFromForm } from '../src/renderer/db/db-form.js';

describe('Database page form: user SQL safety settings', () => {
  it('starts with a 30 s statement timeout and carries the privileged-role confirmation both ways', () => {
    const form = defaultDbForm();
    expect(form.pool.statementTimeoutMs).toBe('30000');
    form.workload = 'userQuery';
    form.target = 'mine';
    expect(specFromForm(form).spec.workload).toMatchObject({ type: 'userQuery', allowPrivilegedRole: false });
    form.params.userQuery.allowPrivilegedRole = 'true';
    const { spec, valid } = specFromForm(form);
    expect(valid).toBe(true);
    expect(spec.workload).toMatchObject({ type: 'userQuery', allowPrivilegedRole: true });
    expect(spec.pool).toMatchObject({ statementTimeoutMs: 30_000 });
    const back = formFromSpec(spec);
    expect(back.params.userQuery.allowPrivilegedRole).toBe('true');
    expect(back.pool.statementTimeoutMs).toBe('30000');
  });
});
