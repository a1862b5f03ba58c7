import { isConnectionLost, sqlState } from '../../postgres/connection.js';
import { mulberry32 } from '../../../../shared/random.js';
import type { InstrumentedPool } from './instrumented-pool.js';
import { LatencyHistogram } from '../../../../node/stats/latency-histogram.js';
import type { WorkloadPhase } from './workloads.js';

/** SQLSTATE classes that mean the statement itself is wrong: repeating it only repeats the error. */
const FATAL_CLASSES = new Set(['0A', '22', '25', '28', '3D', '3F', '42']);

export type PhaseEnd = 'completed' | 'deadline' | 'stopped' | 'lost' | 'fatal';

/**
 * How long the database may stay unreachable before a run gives up on it:
 * a restart or a fail-over that takes less is ridden out (operations fail and
 * are counted, the pool reconnects when the server is back).
 */
export const MAX_OUTAGE_MS = 10_000;
/** Retry pacing while the server is away: each loop waits this long after a lost connection, doubling up to the cap. */
const RETRY_FIRST_MS = 25;
const RETRY_MAX_MS = 500;
/**
 * While a server goes down, queries already on a connection it has not closed
 * yet still succeed: the database counts as back only after this long
 * without another lost connection.
 */
export const SETTLE_MS = 1_000;

/** A stretch of the phase during which the database could not be reached. */
export interface Outage {
  /** Milliseconds from the start of the phase. */
  startMs: number;
  /** Undefined while it lasts (or when the phase ended before the server came back). */
  endMs?: number;
  /** Operations that failed meanwhile. */
  failed: number;
  /** The first error of the outage. */
  error: unknown;
  /** Since when no operation has succeeded (the start, or the last lost connection after a success that did not last). */
  downSinceMs: number;
  /** The first success since the last lost connection: back at that time if no connection is lost for SETTLE_MS. */
  recoveredMs?: number;
}

export interface PhaseResult {
  name: string;
  completed: number;
  failed: number;
  elapsedMs: number;
  /** Per-operation time (a transaction with retries counts as one operation). */
  operationLatency: LatencyHistogram;
  end: PhaseEnd;
  /** The error that ended the phase (lost connection, broken statement). */
  error?: unknown;
  /** Every time the database went away during the phase. */
  outages: Outage[];
  /** Set when the phase ended while the database was still away. */
  stillDown?: boolean;
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
  /** The database went away (first failed operation of an outage) or came back (first success after it). */
  onOutage?: (outage: Outage) => void;
  /** How long an outage may last before the phase ends as lost; default MAX_OUTAGE_MS. */
  maxOutageMs?: number;
}

/**
 * Runs one phase: `concurrency` loops each doing the phase's operation until
 * the count, the deadline or a stop. A statement that can never succeed ends
 * the phase at once; other errors are counted. A lost connection is counted
 * and retried with a short backoff: the phase rides out an outage shorter than
 * maxOutageMs and records it, and ends as lost after a longer one.
 */
export async function drivePhase(phase: WorkloadPhase, options: DriveOptions): Promise<PhaseResult> {
  const limit = phase.operations ?? options.operations;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const operationLatency = new LatencyHistogram();
  let issued = 0;
  let completed = 0;
  let failed = 0;
  let end: PhaseEnd | undefined;
  let endError: unknown;
  const maxOutageMs = options.maxOutageMs ?? MAX_OUTAGE_MS;
  const outages: Outage[] = [];
  let outage: Outage | undefined;
  const closeOutage = () => {
    if (!outage || outage.recoveredMs === undefined) return;
    outage.endMs = outage.recoveredMs;
    options.onOutage?.(outage);
    outage = undefined;
  };
  const finish = (reason: PhaseEnd, error?: unknown) => {
    if (end) return;
    end = reason;
    endError = error;
  };
  const loop = async (index: number) => {
    const random = mulberry32(options.seed * 1_000_003 + index);
    let retryMs = RETRY_FIRST_MS;
    while (!end) {
      if (options.signal.aborted) return finish('stopped');
      if (performance.now() >= deadline) return finish('deadline');
      if (limit && issued >= limit) return;
      issued += 1;
      const operationStarted = performance.now();
      try {
        await phase.operation({ pool: options.pool, random });
        completed += 1;
        operationLatency.recordMs(performance.now() - operationStarted);
        options.onOperation?.();
        retryMs = RETRY_FIRST_MS;
        if (outage) {
          const now = performance.now() - started;
          outage.recoveredMs ??= now;
          if (now - outage.recoveredMs >= SETTLE_MS) closeOutage();
        }
      } catch (error) {
        failed += 1;
        if (options.signal.aborted) return finish('stopped');
        if (isConnectionLost(error)) {
          const now = performance.now() - started;
          if (!outage) {
            outage = { startMs: now, downSinceMs: now, failed: 0, error };
            outages.push(outage);
            options.onOutage?.(outage);
          }
          // A success that did not last: down again from now.
          if (outage.recoveredMs !== undefined) {
            delete outage.recoveredMs;
            outage.downSinceMs = now;
          }
          outage.failed += 1;
          if (now - outage.downSinceMs > maxOutageMs) return finish('lost', error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs, Math.max(0, deadline - performance.now()))));
          retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
          continue;
        }
        if (FATAL_CLASSES.has(sqlState(error)?.slice(0, 2) ?? '')) return finish('fatal', error);
        options.onError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => loop(index)));
  // Back before the end and not lost again: back.
  closeOutage();
  // Ending by the clock or the count while the server is still away is ending because of it.
  const stillDown = outage !== undefined && end !== 'stopped' && end !== 'fatal' && end !== 'lost';
  if (outage && stillDown) {
    end = 'lost';
    endError = outage.error;
  }
  return {
    name: phase.name,
    completed,
    failed,
    elapsedMs: performance.now() - started,
    operationLatency,
    end: end ?? 'completed',
    ...(endError !== undefined ? { error: endError } : {}),
    outages,
    ...(stillDown ? { stillDown } : {}),
  };
}

