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
import { expandPoints, readSetting, scheduleRuns, SweepSpecSchema } from '../../../shared/specs/sweep.js';
import { describeZodError } from '../../../shared/validation.js';
import { captureEnvironment } from '../environment.js';
import type { ExperimentKindRunner } from '../kinds/kind.js';
import type { RunManager } from '../run-manager.js';
import type { RunStore } from '../store.js';
import { analyzeSweep } from './analysis.js';
import { compareGroups, CompareGroup } from './compare.js';
import { renderReport, ReportSubject } from './report/index.js';
import { planImport } from './import-plan.js';
import { measuredRuns, parseReportFile } from './report-file.js';
import { SweepRunner } from './sweep-runner.js';
import { SweepStore } from './sweep-store.js';

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
  | 'runs.import';

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
      'runs.compare': async ({ baseline, candidate, options, allowNoisy }) => ({
        comparison: (await this.compare(baseline, candidate, options, allowNoisy)).comparison,
      }),
      'report.export': async ({ target, format }) => this.exportReport(target, format),
      'runs.import': async ({ fileName, content }) => this.importReport(content, fileName),
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
  ): Promise<{ comparison: Comparison; baselineRuns: RunRecord[]; candidateRuns: RunRecord[] }> {
    const a = await this.resolveSide(baseline, 'Baseline');
    const b = await this.resolveSide(candidate, 'Candidate');
    return { comparison: compareGroups(a, b, options, { allowNoisy }), baselineRuns: a.runs, candidateRuns: b.runs };
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
    const report = parseReportFile(content, fileName);
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
    const { comparison, baselineRuns, candidateRuns } = await this.compare(target.baseline, target.candidate, target.options ?? {}, target.allowNoisy);
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
      throw new TunebenchError('TB_INVALID_OPTION', {
        detail: `${role}: sweep "${sweep.id}" has no point ${ref.point} (points 0 to ${sweep.points.length - 1})`,
      });
    }
    const available: RunRecord[] = [];
    for (const entry of sweep.runs) {
      if (entry.point === ref.point && this.runStore.has(entry.runId)) available.push(await this.runStore.get(entry.runId));
    }
    const runs = measuredRuns(sweep, available, ref.point);
    if (!runs.length) {
      throw new TunebenchError('TB_INVALID_OPTION', { detail: `${role}: point ${ref.point} of sweep "${sweep.id}" has no finished runs` });
    }
    return { label: `${sweep.name}: ${describeSettings(point.settings)}`, runs };
  }
}


