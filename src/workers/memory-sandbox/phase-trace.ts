/**
 * Records the order in which Node runs its callbacks, from a real run:
 * synchronous code, process.nextTick, promise microtasks, timers, immediates
 * (check phase) and I/O callbacks (poll phase), scheduled both from the main
 * script and from inside an I/O callback, where the order of a 0 ms timer
 * and an immediate is fixed.
 */
import { readFile } from 'node:fs';
import type { PhaseStep } from '../../shared/specs/memory.js';

export function tracePhases(file: string): Promise<PhaseStep[]> {
  const steps: PhaseStep[] = [];
  const started = performance.now();
  const note = (label: string, phase: PhaseStep['phase']) => steps.push({ label, phase, atMs: performance.now() - started });

  return new Promise((resolve) => {
    note('main script runs to the end first', 'sync');
    setTimeout(() => note('setTimeout(0) scheduled from the main script', 'timers'), 0);
    setImmediate(() => note('setImmediate scheduled from the main script', 'check'));
    Promise.resolve().then(() => note('promise .then from the main script', 'microtask'));
    process.nextTick(() => note('process.nextTick from the main script', 'nextTick'));
    readFile(file, () => {
      note('fs.readFile callback', 'poll');
      setTimeout(() => {
        note('setTimeout(0) scheduled inside the I/O callback', 'timers');
        // Everything above has run once this fires; let the last immediate land first.
        setImmediate(() => resolve(steps));
      }, 0);
      setImmediate(() => note('setImmediate scheduled inside the I/O callback', 'check'));
      Promise.resolve().then(() => note('promise .then inside the I/O callback', 'microtask'));
      process.nextTick(() => note('process.nextTick inside the I/O callback', 'nextTick'));
    });
    note('main script: last synchronous line', 'sync');
  });
}
