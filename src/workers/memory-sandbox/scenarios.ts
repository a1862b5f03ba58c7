/**
 * The allocation patterns of the memory scenarios. Each runs on a 10 ms tick
 * so the rate is smooth, and returns its counters when stopped.
 */
import type { SandboxStart } from '../../shared/specs/memory.js';
import { Fifo } from '../../node/fifo.js';
import { atRate, spin } from './pacing.js';

export interface ScenarioRun {
  stop(): Record<string, number>;
}

/** An array of about `bytes` of heap (8-byte slots). */
function heapObject(bytes: number, seed: number): number[] {
  return new Array(Math.max(1, Math.floor(bytes / 8))).fill(seed);
}

/** Everything the leak scenario retained, for the life of the sandbox. */
const leaks: unknown[] = [];

export function startScenario(start: SandboxStart, sizeBytes: number): ScenarioRun {
  switch (start.scenario) {
    case 'leak': {
      // Retained closures in a growing map: the classic cache-without-eviction leak.
      const retained = new Map<number, () => number>();
      // Still reachable after the scenario ends, as a real leak would be: the end-of-run snapshot must show it.
      leaks.push(retained);
      let next = 0;
      let capped = 0;
      const stop = atRate(start.rate, () => {
        if ((retained.size + 1) * sizeBytes > start.maxRetainedBytes) {
          capped += 1;
          return;
        }
        const payload = heapObject(sizeBytes, next);
        retained.set(next++, () => payload.length);
      });
      return {
        stop: () => {
          stop();
          return { objects: next, retained: retained.size, cappedAllocations: capped };
        },
      };
    }
    case 'churn':
      return churn(start, sizeBytes, () => heapObject(sizeBytes, Math.random()));
    case 'buffers':
      return churn(start, sizeBytes, () => Buffer.alloc(sizeBytes, 1));
    case 'cpu-main': {
      let tasks = 0;
      const stop = atRate(start.rate, () => {
        spin(start.taskMs);
        tasks += 1;
      });
      return {
        stop: () => {
          stop();
          return { tasks };
        },
      };
    }
    case 'oom-worker':
    case 'cpu-pool':
      throw new Error(`${start.scenario} runs in the worker pool`);
  }
}

/** Allocates at the rate and keeps each value reachable for retainMs only. */
function churn(start: SandboxStart, sizeBytes: number, make: () => unknown): ScenarioRun {
  // A FIFO: Array#shift() on a long array would make the scenario itself the bottleneck.
  let alive = new Fifo<{ until: number; value: unknown }>();
  let made = 0;
  let peakAlive = 0;
  let capped = 0;
  const stop = atRate(start.rate, () => {
    const now = Date.now();
    while ((alive.peek()?.until ?? Infinity) <= now) alive.shift();
    // A blocked loop releases late; the cap holds whatever the timers do.
    if ((alive.size + 1) * sizeBytes > start.maxRetainedBytes) {
      capped += 1;
      return;
    }
    alive.push({ until: now + start.retainMs, value: make() });
    made += 1;
    peakAlive = Math.max(peakAlive, alive.size);
  });
  return {
    stop: () => {
      stop();
      alive = new Fifo();
      return { objects: made, peakAlive, cappedAllocations: capped };
    },
  };
}

const HEARTBEAT_MS = 50;
const HEARTBEAT_REPORT_MS = 1_000;

/**
 * A timer that should fire every 50 ms; how late each tick is shows what a
 * blocked event loop does to every timer, request and callback of a service.
 */
export function startHeartbeat(report: (t: number[], v: number[]) => void): () => void {
  let previous = performance.now();
  let t: number[] = [];
  let v: number[] = [];
  const flush = () => {
    if (t.length) report(t, v);
    t = [];
    v = [];
  };
  const tick = setInterval(() => {
    const now = performance.now();
    t.push(performance.timeOrigin + now);
    // Late relative to this tick's own due time: setInterval counts from when the last tick ran, so drift does not pile up.
    v.push(Math.max(0, now - previous - HEARTBEAT_MS));
    previous = now;
  }, HEARTBEAT_MS);
  const reporter = setInterval(flush, HEARTBEAT_REPORT_MS);
  return () => {
    clearInterval(tick);
    clearInterval(reporter);
    flush();
  };
}
