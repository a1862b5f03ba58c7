import { randomBytes } from 'node:crypto';
import type { CallRequestParsed, CallResponse, StreamName, StreamPayload } from '../../../shared/contract.js';
import { TunebenchError } from '../../../shared/errors.js';
import {
  AnalysisOptions,
  CompareOptions,
  CompareSideRef,
  Comparison,
  describeSettings,
  ExportedFile,
  ReportFormat,
  ReportTarget,
} from '../../../shared/studies.js';
import type { Environment, RunRecord } from '../../../shared/run-record.js';
import {
  expandPoints,
  readSetting,
  scheduleRuns,
  SWEEP_RECORD_FORMAT,
  SweepSpecSchema,
  type SweepRecord,
  type SweepSpec,
} from '../../../shared/specs/sweep.js';
import { LoadSpecSchema, type LoadSpec } from '../../../shared/specs/load.js';
import type { ExternalEngine } from '../../../shared/external.js';
import { describeZodError } from '../../../shared/validation.js';
import { captureEnvironment } from '../environment.js';
import type { ExperimentKindRunner } from '../kinds/kind.js';
import type { RunManager } from '../run-manager.js';
import type { RunStore } from '../store.js';
import { analyzeSweep } from './analysis.js';
import { compareGroups, CompareGroup } from './compare.js';
import { renderReport, ReportSubject } from './report/index.js';
import { planImport } from './import-plan.js';
import { measuredRuns, parseReportFile, wrapRun } from './report-file.js';
import { missingRuns, SweepRunner } from './sweep-runner.js';
import { exportLoadSpec } from '../external/export.js';
import { importArtilleryReport } from '../external/artillery-results.js';
import { importK6Results, type ExternalImportResult } from '../external/k6-results.js';
import { textSource, type ImportSource } from '../external/ndjson-lines.js';
import type { SpecChoice } from '../external/spec-choice.js';
import { SweepStore } from './sweep-store.js';

export interface ExternalImportRequest {
  engine: ExternalEngine;
  /** The file name(s) shown in messages and recorded with the run. */
  file: string;
  /** k6: one source per file (instance), read twice, streamed. */
  sources?: ImportSource[];
  /** Artillery: the report's text. */
  text?: string;
  spec?: LoadSpec;
  specSource?: string;
  sweep?: { sweepId: string; point: number };
  engineVersion?: string;
}

export interface ExternalImportOutcome {
  runs: string[];
  skipped: string[];
  renamed: Array<{ type: 'run' | 'sweep'; from: string; to: string }>;
  /** The imported run's id (its new one when renamed, the existing one when skipped). */
  runId: string;
  run: RunRecord;
  warnings: string[];
  /** The repeat the run became in its sweep point. */
  repeat?: number;
}

/** Which other engine's output a text is, judged by its start; undefined for anything else. */
export function externalFormatOf(content: string): ExternalEngine | undefined {
  const head = content.slice(0, 4_096).trimStart();
  if (/^\{\s*"(type|metric|data)"\s*:/.test(head) && /"type"\s*:\s*"(Metric|Point)"/.test(head.split('\n', 1)[0] ?? '')) return 'k6';
  if (/^\{\s*"aggregate"\s*:/.test(head) || (/^\{/.test(head) && /"intermediate"\s*:/.test(head) && /"aggregate"\s*:/.test(content.slice(0, 1_000_000)) && !/"tunebench"\s*:/.test(head))) {
    return 'artillery';
  }
  return undefined;
}

type Emit = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;

export type StudyCallName =
  | 'sweeps.preview'
  | 'sweeps.start'
  | 'sweeps.stop'
  | 'sweeps.resume'
  | 'sweeps.list'
  | 'sweeps.get'
  | 'sweeps.delete'
  | 'runs.compare'
  | 'report.export'
  | 'runs.import'
  | 'load.export';

export type StudyHandlers = {
  [N in StudyCallName]: (request: CallRequestParsed<N>) => Promise<CallResponse<N>>;
};

/** Sweeps, comparison, reports and import: the generic experiment layer over every kind's runs. */
export class StudyService {
  readonly sweeps: SweepRunner;
  private readonly sweepStore: SweepStore;

  constructor(
    private readonly runs: RunManager,
    private readonly runStore: RunStore,
    dataDir: string,
    private readonly host: Environment['host'],
    emit: Emit,
    private readonly kinds: ReadonlyMap<string, ExperimentKindRunner<any>>,
  ) {
    this.sweepStore = new SweepStore(dataDir);
    this.sweeps = new SweepRunner(runs, this.sweepStore, host, emit);
  }

  async open(): Promise<void> {
    await this.sweepStore.open();
  }

  get warnings(): readonly string[] {
    return this.sweepStore.warnings;
  }

  hasSweep(id: string): boolean {
    return this.sweepStore.has(id);
  }

  /** Stops running sweeps (each keeps what it finished). */
  async dispose(): Promise<void> {
    await this.sweeps.stopAll();
  }

  handlers(): StudyHandlers {
    return {
      'sweeps.preview': async ({ spec }) => this.preview(spec),
      'sweeps.start': async ({ spec }) => ({ sweepId: this.sweeps.start(spec).sweepId }),
      'sweeps.resume': async ({ sweepId }) => {
        const { missing } = await this.sweeps.resume(sweepId);
        return { sweepId, missing };
      },
      'sweeps.stop': async ({ sweepId }) => {
        const record = await this.sweeps.stop(sweepId);
        return { sweepId, status: record.status };
      },
      'sweeps.list': async () => ({
        sweeps: this.sweepStore.list(),
        active: this.sweeps.activeIds(),
        warnings: [...this.sweepStore.warnings],
      }),
      'sweeps.get': async ({ sweepId, analysis }) => {
        const sweep = await this.sweepStore.get(sweepId);
        return { sweep, analysis: analyzeSweep(sweep, analysis ?? {}) };
      },
      'sweeps.delete': async ({ sweepId }) => {
        if (this.sweeps.activeIds().includes(sweepId)) throw new TunebenchError('TB_SWEEP_RUNNING', { id: sweepId });
        await this.sweepStore.delete(sweepId);
        return { sweepId };
      },
      'runs.compare': async ({ baseline, candidate, options, allowNoisy, objective }) => ({
        comparison: (await this.compare(baseline, candidate, options, allowNoisy, objective)).comparison,
      }),
      'report.export': async ({ target, format }) => this.exportReport(target, format),
      'runs.import': async ({ fileName, content }) => this.importReport(content, fileName),
      'load.export': async ({ spec, engine, target, expectedLatencyMs }) => exportLoadSpec(spec, engine, { target, expectedLatencyMs }),
    };
  }

  preview(rawSpec: unknown): CallResponse<'sweeps.preview'> {
    const parsed = SweepSpecSchema.safeParse(rawSpec);
    if (!parsed.success) throw new TunebenchError('TB_INVALID_SPEC', { detail: describeZodError(parsed.error) });
    const spec = parsed.data;
    const schedule = scheduleRuns(spec);
    const pointSpecs = expandPoints(spec).map((point) => point.spec);
    const runs = schedule.length;
    const points = pointSpecs.length;
    // Warm-up runs repeat one point, so the total follows the schedule rather than points × repeats.
    const totalMs = (secondsPerPoint: Array<number | undefined>) =>
      secondsPerPoint.every((sec) => sec !== undefined) ? schedule.reduce((sum, run) => sum + secondsPerPoint[run.point]! * 1000, 0) : null;
    const upperBoundMs = totalMs(
      pointSpecs.map((pointSpec) => {
        const limit = readSetting(pointSpec, 'timeLimitSec');
        return typeof limit === 'number' ? limit : undefined;
      }),
    );
    const plannedMs = totalMs(pointSpecs.map((pointSpec) => this.plannedDurationSec(pointSpec)));
    if (plannedMs !== null) {
      return {
        points,
        runs,
        estimatedMs: plannedMs,
        upperBoundMs,
        basis: `The planned durations of the ${runs} runs (warm-ups included); setup such as starting a cluster or seeding data comes on top.`,
      };
    }
    const past = this.runStore
      .list()
      .filter((run) => run.kind === spec.base.kind && run.status === 'completed')
      .map((run) => run.durationMs)
      .sort((a, b) => a - b);
    if (!past.length) {
      return { points, runs, estimatedMs: null, upperBoundMs, basis: `No saved ${spec.base.kind} runs to estimate from yet.` };
    }
    const median = past[Math.floor(past.length / 2)]!;
    return {
      points,
      runs,
      estimatedMs: Math.round(median * runs),
      upperBoundMs,
      basis: `${runs} runs × the median duration of ${past.length} saved ${spec.base.kind} run(s).`,
    };
  }

  /** The kind's own plan for one point's run, when its length is set by a clock. */
  private plannedDurationSec(pointSpec: { kind: string }): number | undefined {
    const runner = this.kinds.get(pointSpec.kind);
    if (!runner?.plannedDurationSec) return undefined;
    // The sweep schema has already validated every point; parsing here fills in the kind's defaults.
    const parsed = runner.specSchema.safeParse(pointSpec);
    return parsed.success ? runner.plannedDurationSec(parsed.data) : undefined;
  }

  async compare(
    baseline: CompareSideRef,
    candidate: CompareSideRef,
    options: Partial<CompareOptions> = {},
    /** Judge the intervals even when the machine was busy (otherwise the comparison is inconclusive). */
    allowNoisy = false,
    /** The metric the verdict is on (the kind's default when absent). */
    objective?: string,
  ): Promise<{ comparison: Comparison; baselineRuns: RunRecord[]; candidateRuns: RunRecord[] }> {
    const a = await this.resolveSide(baseline, 'Baseline');
    const b = await this.resolveSide(candidate, 'Candidate');
    return { comparison: compareGroups(a, b, options, { allowNoisy, objective }), baselineRuns: a.runs, candidateRuns: b.runs };
  }

  async exportReport(target: ReportTarget, format: ReportFormat): Promise<ExportedFile> {
    return renderReport(await this.subjectOf(target), format, captureEnvironment(this.host));
  }

  /**
   * Validates the whole file, then plans every id, before writing anything.
   * Writes create new files only; a failed write takes back exactly the files
   * this import created, one by one, never a folder.
   */
  async importReport(content: string, fileName: string): Promise<CallResponse<'runs.import'>> {
    // k6's JSON output and Artillery's report come in through the same door (the Import button).
    const foreign = externalFormatOf(content);
    if (foreign) {
      const outcome = await this.importExternal({
        engine: foreign,
        file: fileName,
        ...(foreign === 'k6' ? { sources: [textSource(content, fileName)] } : { text: content }),
      });
      return { runs: outcome.runs, sweeps: [], skipped: outcome.skipped, renamed: outcome.renamed };
    }
    return this.writeReport(parseReportFile(content, fileName));
  }

  /** Plans and writes a validated report: new files only, a failed write taken back. */
  private async writeReport(report: ReturnType<typeof parseReportFile>): Promise<CallResponse<'runs.import'>> {
    const plan = await planImport(report, {
      existingRun: async (id) => (this.runStore.has(id) ? this.runStore.get(id).catch(() => undefined) : undefined),
      existingSweep: async (id) => (this.sweepStore.has(id) ? this.sweepStore.get(id).catch(() => undefined) : undefined),
      acceptsRunId: (id) => this.runStore.acceptsId(id),
      acceptsSweepId: (id) => this.sweepStore.acceptsId(id),
    });
    const created: string[] = [];
    try {
      for (const run of plan.runs) {
        await this.runStore.saveNew(run);
        created.push(run.id);
      }
      if (plan.sweep) await this.sweepStore.saveNew(plan.sweep);
    } catch (error) {
      for (const id of created) await this.runStore.removeNew(id).catch(() => {});
      throw error;
    }
    return { runs: created, sweeps: plan.sweep ? [plan.sweep.id] : [], skipped: plan.skipped, renamed: plan.renamed };
  }

  /**
   * Imports the results of another engine (k6's JSON output, Artillery's
   * report) as a load run, through the same planning and store as any import.
   * With a sweep point, the run records that point's spec and joins the sweep
   * as its next repeat, so the sweep's analysis uses it like a native run.
   * Nothing is written before the whole input has been read and validated.
   */
  async importExternal(request: ExternalImportRequest): Promise<ExternalImportOutcome> {
    let choice: SpecChoice = { type: 'none' };
    let sweep: SweepRecord | undefined;
    if (request.sweep) {
      if (request.spec) {
        throw new TunebenchError('TB_OPTIONS_CONFLICT', { one: '--spec', other: '--sweep with --point', why: 'a sweep point\'s run records that point\'s spec' });
      }
      const { sweepId, point } = request.sweep;
      if (this.sweeps.activeIds().includes(sweepId)) throw new TunebenchError('TB_SWEEP_RUNNING', { id: sweepId });
      sweep = await this.sweepStore.get(sweepId);
      if (sweep.spec.base.kind !== 'load') {
        throw new TunebenchError('TB_SWEEP_WRONG_KIND', { id: sweepId, kind: sweep.spec.base.kind, why: 'external results are load runs' });
      }
      const pointSpec = expandPoints(sweep.spec).find((candidate) => candidate.index === point);
      if (!pointSpec) {
        throw new TunebenchError('TB_SWEEP_POINT_NOT_FOUND', { id: sweepId, point, last: sweep.points.length - 1 });
      }
      choice = { type: 'given', spec: LoadSpecSchema.parse(pointSpec.spec), source: `point ${point} of sweep ${sweepId} (${describeSettings(pointSpec.settings)})` };
    } else if (request.spec) {
      choice = { type: 'given', spec: request.spec, source: request.specSource ?? 'the spec given' };
    }
    let result: ExternalImportResult;
    if (request.engine === 'k6') {
      result = await importK6Results({ sources: request.sources ?? [], choice, host: this.host });
    } else {
      if (request.text === undefined) throw new TunebenchError('TB_NOTHING_GIVEN', { what: 'Artillery report' });
      result = importArtilleryReport({ text: request.text, file: request.file, choice, host: this.host, engineVersion: request.engineVersion });
    }
    let run = result.run;
    if (request.engineVersion && request.engine === 'k6') {
      run = { ...run, environment: { ...run.environment, extra: { ...run.environment.extra, sourceEngineVersion: request.engineVersion } } };
    }
    if (request.sweep) run = { ...run, origin: { sweepId: request.sweep.sweepId, point: request.sweep.point } };
    const written = await this.writeReport(wrapRun(run));
    const runId = written.runs[0] ?? written.renamed[0]?.to ?? run.id;
    let repeat: number | undefined;
    if (sweep && request.sweep) {
      const already = sweep.runs.find((entry) => entry.runId === runId);
      if (already) repeat = already.repeat;
      else {
        const taken = new Set(sweep.runs.filter((entry) => entry.point === request.sweep!.point && entry.status === 'completed').map((entry) => entry.repeat));
        repeat = 0;
        while (taken.has(repeat)) repeat++;
        const runs = [...sweep.runs, { runId, point: request.sweep.point, repeat, status: 'completed' as const, durationMs: run.durationMs, summary: run.summary }];
        const updated: SweepRecord = { ...sweep, runs, totalRuns: Math.max(sweep.totalRuns, runs.length) };
        const complete = !missingRuns(updated).some((planned) => planned.repeat >= 0);
        await this.sweepStore.save({
          ...updated,
          status: complete ? 'completed' : sweep.status === 'completed' ? 'completed' : 'stopped',
          ...(complete ? { endedAt: new Date().toISOString() } : {}),
        });
      }
    }
    return { ...written, runId, run: { ...run, id: runId }, warnings: result.warnings, ...(repeat !== undefined ? { repeat } : {}) };
  }

  /**
   * Saves a sweep whose points will run elsewhere (k6, Artillery): no run is
   * started; each point's results join it with importExternal. It stays
   * stopped until every point has its repeats.
   */
  async createExternalSweep(rawSpec: unknown): Promise<SweepRecord> {
    const parsed = SweepSpecSchema.safeParse(rawSpec);
    if (!parsed.success) throw new TunebenchError('TB_INVALID_SPEC', { detail: describeZodError(parsed.error) });
    const spec: SweepSpec = parsed.data;
    if (spec.base.kind !== 'load') throw new TunebenchError('TB_INVALID_SPEC', { detail: 'only load sweeps can run on another engine' });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '');
    const record: SweepRecord = {
      format: SWEEP_RECORD_FORMAT,
      id: `${stamp}-sweep-load-external-${randomBytes(3).toString('hex')}`,
      name: spec.name || `load sweep over ${spec.axes.map((axis) => axis.path).join(' × ') || 'repeats'} (external)`,
      spec,
      environment: captureEnvironment(this.host),
      status: 'stopped',
      startedAt: new Date().toISOString(),
      durationMs: 0,
      points: expandPoints(spec).map(({ index, settings }) => ({ index, settings })),
      runs: [],
      totalRuns: scheduleRuns(spec).filter((planned) => planned.repeat >= 0).length,
    };
    await this.sweepStore.saveNew(record);
    return record;
  }

  private async subjectOf(target: ReportTarget): Promise<ReportSubject> {
    if ('runId' in target) return { type: 'run', run: await this.runStore.get(target.runId) };
    if ('sweepId' in target) {
      const sweep = await this.sweepStore.get(target.sweepId);
      const analysis = analyzeSweep(sweep, (target.analysis ?? {}) as Partial<AnalysisOptions>);
      const runs: RunRecord[] = [];
      for (const entry of sweep.runs) {
        // A run deleted since keeps its summary in the sweep record; the export simply lacks its series.
        if (this.runStore.has(entry.runId)) runs.push(await this.runStore.get(entry.runId));
      }
      return { type: 'sweep', sweep, analysis, runs };
    }
    const { comparison, baselineRuns, candidateRuns } = await this.compare(
      target.baseline,
      target.candidate,
      target.options ?? {},
      target.allowNoisy,
      target.objective,
    );
    return { type: 'comparison', comparison, baselineRuns, candidateRuns };
  }

  private async resolveSide(ref: CompareSideRef, role: string): Promise<CompareGroup> {
    if ('runIds' in ref) {
      const runs = await Promise.all(ref.runIds.map((id) => this.runStore.get(id)));
      const label = runs.length === 1 ? runs[0]!.name : `${runs[0]!.name} (${runs.length} runs)`;
      return { label, runs };
    }
    const sweep = await this.sweepStore.get(ref.sweepId);
    const point = sweep.points.find((p) => p.index === ref.point);
    if (!point) {
      throw new TunebenchError('TB_SWEEP_POINT_NOT_FOUND', { id: sweep.id, point: ref.point, last: sweep.points.length - 1 });
    }
    const available: RunRecord[] = [];
    for (const entry of sweep.runs) {
      if (entry.point === ref.point && this.runStore.has(entry.runId)) available.push(await this.runStore.get(entry.runId));
    }
    const runs = measuredRuns(sweep, available, ref.point);
    if (!runs.length) {
      throw new TunebenchError('TB_NOT_ENOUGH_DATA', { what: `${role}: point ${ref.point} of sweep "${sweep.id}"`, needed: 'at least one finished run' });
    }
    return { label: `${sweep.name}: ${describeSettings(point.settings)}`, runs };
  }
}


