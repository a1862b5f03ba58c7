/**
 * The workbench's own process, recorded into every run of every kind: the
 * engine drives pools, load generators and database clients from here, so a
 * GC pause or a busy event loop in this process is part of what every run
 * measured. The run manager owns one of these per run.
 */
import { performance } from 'node:perf_hooks';
import { TunebenchError } from '../../../shared/errors.js';
import { isNotableGc } from '../../../shared/runtime.js';
import type { ProbeBatch } from '../../../shared/runtime.js';
import { ENGINE_PROCESS } from '../../../shared/series-names.js';
import { startProbe } from '../../../node/probe/probe.js';
import type { Disposable } from '../disposable.js';
import type { RunSink } from '../kinds/kind.js';
import { ProbeSeriesWriter } from './probe-writer.js';

export const DEFAULT_ENGINE_PROBE_INTERVAL_MS = 1_000;
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 60_000;

/** Checks the engine's probe interval setting; undefined means the default. */
export function engineProbeInterval(value: unknown): number {
  if (value === undefined) return DEFAULT_ENGINE_PROBE_INTERVAL_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_INTERVAL_MS || value > MAX_INTERVAL_MS) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
      option: 'runtimeProbeIntervalMs',
      rule: `a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}, got ${String(value)}`,
    });
  }
  return value;
}

const epochNowInProcess = () => performance.timeOrigin + performance.now();

export interface EngineRuntimeOptions {
  /** Default 1 s. */
  intervalMs?: number;
  /** Measure the main thread's event loop (default true); off when the run's kind records it already. */
  eventLoop?: boolean;
}

export class EngineRuntimeRecorder implements Disposable {
  private writer: ProbeSeriesWriter | undefined;
  private readonly stopProbe: () => void;
  private readonly eventLoop: boolean;

  constructor(
    private readonly sink: RunSink,
    options: EngineRuntimeOptions = {},
  ) {
    this.eventLoop = options.eventLoop !== false;
    // The probe hands over batches synchronously, so the disposer's last sample lands before the run's record is taken.
    this.stopProbe = startProbe({
      intervalMs: engineProbeInterval(options.intervalMs),
      eventLoopDelay: this.eventLoop,
      send: (batch) => this.write(batch),
    });
  }

  /** Stops the probe's timers and observer; its last sample is written first. */
  dispose(): void {
    this.stopProbe();
  }

  private write(batch: ProbeBatch): void {
    // Declared with the first batch, after the kind's own series: reports and charts list the kind's first.
    this.writer ??= new ProbeSeriesWriter(this.sink, {
      // Its series are engine.heapUsed, engine.eldP99, engine.gc.pauseMs ...
      process: ENGINE_PROCESS,
      keepGcEvent: isNotableGc,
      epochNow: epochNowInProcess,
      eventLoop: this.eventLoop,
    });
    this.writer.write(batch);
  }
}
