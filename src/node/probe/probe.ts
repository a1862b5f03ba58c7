/**
 * The runtime probe: samples the host (process or worker thread) every
 * interval and hands batches to `send`. It never blocks its host: while a
 * send is still in flight new data waits in bounded buffers, and what does
 * not fit is dropped and counted.
 */
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import type { EventLoopUtilization, PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import { threadId } from 'node:worker_threads';
import { EVENT_LOOP_RESOLUTION_MS, LatenessSampler } from '../../shared/event-loop-delay.js';
import type { GcKind, HeapSpaceGroup, ProbeBatch, ProbeGcEvent, ProbeSample } from '../../shared/runtime.js';
import { gcKinds, PROBE_BATCH } from '../../shared/runtime.js';

export interface ProbeOptions {
  /** Sampling interval; 100 ms .. 60 s. */
  intervalMs?: number;
  /** How often buffered data is sent; defaults to max(interval, 500 ms) so 100 ms sampling costs few messages. */
  batchMs?: number;
  /** Receives each batch; a returned promise holds the next send until it settles (backpressure). */
  send: (batch: ProbeBatch) => void | Promise<unknown>;
  maxBufferedSamples?: number;
  maxBufferedGcEvents?: number;
  /** Event-loop delay timer resolution; finer costs more timer wake-ups. */
  eldResolutionMs?: number;
  /**
   * Measure event-loop delay (default true). Its timer is most of
   * the probe's cost (0.5–1 % of an idle core at 10 ms), so a host that already
   * measures its loop turns it off rather than pay twice.
   */
  eventLoopDelay?: boolean;
}

export type Disposer = () => void;

const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 60_000;

const gcKindByConstant: Record<number, GcKind> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

function spaceGroup(spaceName: string): HeapSpaceGroup {
  if (spaceName === 'new_space') return 'new';
  if (spaceName === 'old_space') return 'old';
  if (spaceName.startsWith('code')) return 'code';
  if (spaceName.includes('large_object')) return 'large';
  return 'other';
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
}

const emptyGcTotals = (): Record<GcKind, { count: number; pauseMs: number }> =>
  Object.fromEntries(gcKinds.map((kind) => [kind, { count: 0, pauseMs: 0 }])) as Record<
    GcKind,
    { count: number; pauseMs: number }
  >;

/** The interval's event-loop delay as lateness (0 on an idle loop); its ticks are never lost to the read. */
function eventLoopDelayOf(sampler: LatenessSampler): NonNullable<ProbeSample['eld']> {
  const delay = sampler.take();
  if (!delay) return { p50: 0, p99: 0, max: 0, mean: 0 };
  return { p50: delay.p50, p99: delay.p99, max: delay.max, mean: delay.mean };
}

/** Starts sampling the current thread; the returned disposer stops every timer and observer and sends what is left. */
export function startProbe(options: ProbeOptions): Disposer {
  if (typeof options?.send !== 'function') throw new TypeError('startProbe: send must be a function');
  checkRange('intervalMs', options.intervalMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
  checkRange('batchMs', options.batchMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
  checkRange('maxBufferedSamples', options.maxBufferedSamples, 1, 100_000);
  checkRange('maxBufferedGcEvents', options.maxBufferedGcEvents, 1, 1_000_000);
  checkRange('eldResolutionMs', options.eldResolutionMs, 1, 1_000);
  const intervalMs = options.intervalMs ?? 1_000;
  const batchMs = options.batchMs ?? Math.max(intervalMs, 500);
  const maxSamples = options.maxBufferedSamples ?? 600;
  const maxGc = options.maxBufferedGcEvents ?? 2_000;

  const samples: ProbeSample[] = [];
  const gcEvents: ProbeGcEvent[] = [];
  const dropped = { samples: 0, gc: 0 };
  let gcTotals = emptyGcTotals();
  let seq = 0;
  let sending = false;
  let disposed = false;

  const eldResolutionMs = options.eldResolutionMs ?? EVENT_LOOP_RESOLUTION_MS;
  const eld = options.eventLoopDelay === false ? undefined : new LatenessSampler(eldResolutionMs, () => performance.now());
  const eldTimer = eld ? setInterval(() => eld.tick(), eldResolutionMs) : undefined;
  eldTimer?.unref();
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  let lastSampleAt = performance.now();

  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) recordGc(entry);
  });
  observer.observe({ entryTypes: ['gc'] });

  function recordGc(entry: PerformanceEntry): void {
    const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
    const kind = gcKindByConstant[detail?.kind ?? -1];
    if (!kind) return;
    gcTotals[kind].count += 1;
    gcTotals[kind].pauseMs += entry.duration;
    const event: ProbeGcEvent = {
      t: performance.timeOrigin + entry.startTime,
      kind,
      durationMs: entry.duration,
      // Read as the observer runs, just after the collection: the closest cheap view of the live set.
      ...(kind === 'major' ? { heapUsedAfter: v8.getHeapStatistics().used_heap_size } : {}),
    };
    if (gcEvents.length >= maxGc) {
      gcEvents.shift();
      dropped.gc += 1;
    }
    gcEvents.push(event);
  }

  function takeSample(): void {
    const now = performance.now();
    const elapsedMs = Math.max(1, now - lastSampleAt);
    lastSampleAt = now;
    const memory = process.memoryUsage();
    const heap = v8.getHeapStatistics();
    const spaces: Record<string, number> = {};
    for (const space of v8.getHeapSpaceStatistics()) {
      const group = spaceGroup(space.space_name);
      spaces[group] = (spaces[group] ?? 0) + space.space_used_size;
    }
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const sample: ProbeSample = {
      t: performance.timeOrigin + now,
      intervalMs: elapsedMs,
      rss: memory.rss,
      heapTotal: memory.heapTotal,
      heapUsed: memory.heapUsed,
      heapLimit: heap.heap_size_limit,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      spaces,
      ...(eld ? { eld: eventLoopDelayOf(eld) } : {}),
      elu: elu.utilization,
      cpuUser: (cpu.user / 1_000 / elapsedMs) * 100,
      cpuSystem: (cpu.system / 1_000 / elapsedMs) * 100,
      handles: process.getActiveResourcesInfo().length,
      gc: gcTotals,
    };
    gcTotals = emptyGcTotals();
    if (samples.length >= maxSamples) {
      samples.shift();
      dropped.samples += 1;
    }
    samples.push(sample);
  }

  function flush(): void {
    if (sending || (!samples.length && !gcEvents.length)) return;
    const batch: ProbeBatch = {
      type: PROBE_BATCH,
      pid: process.pid,
      threadId,
      seq: seq++,
      samples: samples.splice(0),
      gc: gcEvents.splice(0),
      dropped: { ...dropped },
    };
    let pending: void | Promise<unknown>;
    try {
      pending = options.send(batch);
    } catch {
      // A closed channel (parent gone) must not throw inside the host's timers.
      return;
    }
    if (pending && typeof (pending as Promise<unknown>).then === 'function') {
      sending = true;
      (pending as Promise<unknown>).then(
        () => (sending = false),
        () => (sending = false),
      );
    }
  }

  const sampleTimer = setInterval(takeSample, intervalMs);
  const flushTimer = setInterval(flush, batchMs);
  // The probe watches its host; it must never be what keeps the host alive.
  sampleTimer.unref();
  flushTimer.unref();

  return () => {
    if (disposed) return;
    disposed = true;
    clearInterval(sampleTimer);
    clearInterval(flushTimer);
    observer.disconnect();
    clearInterval(eldTimer);
    takeSample();
    sending = false;
    flush();
  };
}
