import type { Histogram } from 'hdr-histogram-js';
import { isConnectionLost, sqlState } from './connection.js';
import { mulberry32 } from '../../../shared/random.js';
import type { InstrumentedPool } from './instrumented-pool.js';
import { newLatencyHistogram, recordMs } from './query-stats.js';
import type { WorkloadPhase } from './workloads.js';

/** SQLSTATE classes that mean the statement itself is wrong: repeating it only repeats the error. */
const FATAL_CLASSES = new Set(['0A', '22', '25', '28', '3D', '3F', '42']);

export type PhaseEnd = 'completed' | 'deadline' | 'stopped' | 'lost' | 'fatal';

export interface PhaseResult {
  name: string;
  completed: number;
  failed: number;
  elapsedMs: number;
  /** Per-operation time (a transaction with retries counts as one operation). */
  operationLatency: Histogram;
  end: PhaseEnd;
  /** The error that ended the phase (lost connection, broken statement). */
  error?: unknown;
}

export interface DriveOptions {
  pool: InstrumentedPool;
  concurrency: number;
  /** 0 = no count limit. */
  operations: number;
  durationMs: number;
  seed: number;
  signal: AbortSignal;
  /** Every failed operation that did not end the phase; for the error log. */
  onError: (error: unknown) => void;
  onOperation?: () => void;
}

/**
 * Runs one phase: `concurrency` loops each doing the phase's operation until
 * the count, the deadline or a stop. A lost connection or a statement that
 * can never succeed ends the phase at once; other errors are counted.
 */
export async function drivePhase(phase: WorkloadPhase, options: DriveOptions): Promise<PhaseResult> {
  const limit = phase.operations ?? options.operations;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const operationLatency = newLatencyHistogram();
  let issued = 0;
  let completed = 0;
  let failed = 0;
  let end: PhaseEnd | undefined;
  let endError: unknown;
  const finish = (reason: PhaseEnd, error?: unknown) => {
    if (end) return;
    end = reason;
    endError = error;
  };
  const loop = async (index: number) => {
    const random = mulberry32(options.seed * 1_000_003 + index);
    while (!end) {
      if (options.signal.aborted) return finish('stopped');
      if (performance.now() >= deadline) return finish('deadline');
      if (limit && issued >= limit) return;
      issued += 1;
      const operationStarted = performance.now();
      try {
        await phase.operation({ pool: options.pool, random });
        completed += 1;
        recordMs(operationLatency, performance.now() - operationStarted);
        options.onOperation?.();
      } catch (error) {
        failed += 1;
        if (options.signal.aborted) return finish('stopped');
        if (isConnectionLost(error)) return finish('lost', error);
        if (FATAL_CLASSES.has(sqlState(error)?.slice(0, 2) ?? '')) return finish('fatal', error);
        options.onError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => loop(index)));
  return {
    name: phase.name,
    completed,
    failed,
    elapsedMs: performance.now() - started,
    operationLatency,
    end: end ?? 'completed',
    ...(endError !== undefined ? { error: endError } : {}),
  };
}

