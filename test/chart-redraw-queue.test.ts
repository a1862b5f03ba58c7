import { describe, expect, it } from 'vitest';
import { RedrawQueue } from '../src/renderer/charts/redraw-queue.js';

/** A task queue run by hand, so the test sees exactly what each browser task would do. */
function manualTasks() {
  const tasks: Array<() => void> = [];
  return {
    schedule: (task: () => void) => void tasks.push(task),
    pending: () => tasks.length,
    runNext: () => tasks.shift()!(),
  };
}

describe('chart redraw queue: one chart per browser task', () => {
  it('runs queued redraws one per task, in the order asked, each once however often it was asked', () => {
    const tasks = manualTasks();
    const queue = new RedrawQueue(tasks.schedule);
    const drawn: string[] = [];
    const first = () => drawn.push('first');
    const second = () => drawn.push('second');
    queue.request(first);
    queue.request(second);
    queue.request(first);
    expect(tasks.pending()).toBe(1);

    tasks.runNext();
    expect(drawn).toEqual(['first']);
    expect(tasks.pending()).toBe(1);
    tasks.runNext();
    expect(drawn).toEqual(['first', 'second']);
    expect(tasks.pending()).toBe(0);
    expect(queue.size).toBe(0);
  });

  it('drops a redraw taken back before its task (a chart that unmounted)', () => {
    const tasks = manualTasks();
    const queue = new RedrawQueue(tasks.schedule);
    const drawn: string[] = [];
    const takeBack = queue.request(() => drawn.push('gone'));
    queue.request(() => drawn.push('kept'));
    takeBack();
    tasks.runNext();
    expect(drawn).toEqual(['kept']);
    expect(tasks.pending()).toBe(0);
  });

  it('goes on with the next chart when one fails to draw', () => {
    const tasks = manualTasks();
    const queue = new RedrawQueue(tasks.schedule);
    const drawn: string[] = [];
    queue.request(() => {
      throw new Error('broken chart');
    });
    queue.request(() => drawn.push('next'));
    expect(() => tasks.runNext()).toThrow('broken chart');
    tasks.runNext();
    expect(drawn).toEqual(['next']);
  });

  it('names what is wrong when given something other than functions', () => {
    expect(() => new RedrawQueue('soon' as never)).toThrow('RedrawQueue needs a function that schedules a task');
    expect(() => new RedrawQueue(manualTasks().schedule).request(undefined as never)).toThrow(
      'RedrawQueue.request needs a redraw function',
    );
  });
});
