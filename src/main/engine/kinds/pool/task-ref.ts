import { TunebenchError } from '../../../../shared/errors.js';
import { taskNames, taskParamSchemas, type TaskName, type TaskRef } from '../../../../shared/specs/tasks.js';
import { describeZodError } from '../../../../shared/validation.js';

/**
 * Validates a task reference before anything reaches a worker, and applies
 * parameter defaults (e.g. seed). Workers trust what this returns.
 */
export function parseTaskRef(raw: unknown): TaskRef {
  const candidate = (raw && typeof raw === 'object' ? raw : {}) as { name?: unknown; params?: unknown };
  const name = candidate.name;
  if (typeof name !== 'string' || !Object.hasOwn(taskParamSchemas, name)) {
    throw new TunebenchError('TB_UNKNOWN_TASK', { task: String(name), known: taskNames.join(', ') });
  }
  const parsed = taskParamSchemas[name as TaskName].safeParse(candidate.params ?? {});
  if (!parsed.success) {
    throw new TunebenchError('TB_INVALID_TASK_PARAMS', { task: name, detail: describeZodError(parsed.error) });
  }
  return { name, params: parsed.data } as TaskRef;
}
