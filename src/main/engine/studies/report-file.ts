import { TunebenchError } from '../../../shared/errors.js';
import { MAX_IMPORT_BYTES, REPORT_FILE_FORMAT, REPORT_FILE_MARKER, ReportFile, ReportFileSchema, describeSettings } from '../../../shared/studies.js';
import { RUN_RECORD_FORMAT, RunRecord, RunRecordSchema } from '../../../shared/run-record.js';
import type { SweepRecord } from '../../../shared/specs/sweep.js';
import { describeZodError } from '../../../shared/validation.js';
import type { CompareGroup } from './compare.js';


/**
 * Reads an exported report (or a bare run record, as `tunebench run --json`
 * prints and the data directory stores) and validates all of it, so a caller
 * either gets a complete, consistent file or a TB_IMPORT_INVALID naming what
 * is wrong.
 */
export function parseReportFile(text: string, file: string): ReportFile {
  const invalid = (detail: string) => new TunebenchError('TB_IMPORT_INVALID', { file, detail });
  if (text.length > MAX_IMPORT_BYTES) throw invalid(tooLargeForImport());
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`not valid JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw invalid('not a JSON object');
  const object = json as Record<string, unknown>;
  if (object.tunebench === REPORT_FILE_MARKER) {
    if (typeof object.format === 'number' && object.format > REPORT_FILE_FORMAT) {
      throw invalid(`written by a newer Tunebench (report format ${object.format}; this one reads ${REPORT_FILE_FORMAT})`);
    }
    const parsed = ReportFileSchema.safeParse(json);
    if (!parsed.success) throw invalid(`not a valid Tunebench report: ${shortIssues(parsed.error)}`);
    checkConsistency(parsed.data, invalid);
    return parsed.data;
  }
  if ('id' in object && 'kind' in object && 'summary' in object) {
    if (typeof object.format === 'number' && object.format > RUN_RECORD_FORMAT) {
      throw invalid(`written by a newer Tunebench (run record format ${object.format})`);
    }
    const parsed = RunRecordSchema.safeParse(json);
    if (!parsed.success) throw invalid(`not a valid run record: ${shortIssues(parsed.error)}`);
    return wrapRun(parsed.data);
  }
  throw invalid('not a Tunebench report or run record (no "tunebench": "tunebench-report" marker, no run id)');
}

export function tooLargeForImport(): string {
  return `larger than the import limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB`;
}

export function wrapRun(run: RunRecord): ReportFile {
  return {
    tunebench: REPORT_FILE_MARKER,
    format: REPORT_FILE_FORMAT,
    tunebenchVersion: run.environment.tunebenchVersion,
    exportedAt: run.endedAt ?? run.startedAt,
    environment: run.environment,
    type: 'run',
    run,
  };
}

/** One side of a CLI comparison from a report file: its run, or the repeats of one sweep point. */
export function compareGroupOf(report: ReportFile, file: string, point?: number): CompareGroup {
  const invalid = (detail: string) => new TunebenchError('TB_IMPORT_INVALID', { file, detail });
  if (report.type === 'run') {
    if (point !== undefined) throw invalid('--point applies to sweep reports; this is a single run');
    return { label: `${file} (${report.run.name})`, runs: [report.run] };
  }
  if (report.type === 'comparison') throw invalid('a comparison report cannot be one side of a comparison; export a run or a sweep');
  const { sweep } = report;
  if (point === undefined && sweep.points.length > 1) {
    const list = sweep.points.map((p) => `${p.index}: ${describeSettings(p.settings)}`).join('; ');
    throw invalid(`the sweep has ${sweep.points.length} points; pick one with --point (${list})`);
  }
  const index = point ?? 0;
  const chosen = sweep.points.find((p) => p.index === index);
  if (!chosen) throw invalid(`the sweep has no point ${index} (points 0 to ${sweep.points.length - 1})`);
  const runs = measuredRuns(sweep, report.runs, index);
  if (!runs.length) throw invalid(`point ${index} of the sweep has no finished measured runs`);
  return { label: `${file} (${sweep.name}, ${describeSettings(chosen.settings)})`, runs };
}

/** The measured (not warm-up) runs of one sweep point that finished. */
export function measuredRuns(sweep: SweepRecord, runs: readonly RunRecord[], point: number): RunRecord[] {
  const byId = new Map(runs.map((run) => [run.id, run]));
  return sweep.runs
    .filter((entry) => entry.point === point && entry.repeat >= 0 && entry.status === 'completed')
    .map((entry) => byId.get(entry.runId))
    .filter((run): run is RunRecord => run !== undefined);
}

function checkConsistency(report: ReportFile, invalid: (detail: string) => TunebenchError): void {
  if (report.type !== 'sweep') return;
  const strangers = report.runs.filter((run) => run.origin?.sweepId !== report.sweep.id);
  if (strangers.length) throw invalid(`run ${strangers[0]!.id} does not belong to sweep ${report.sweep.id}`);
}

function shortIssues(error: Parameters<typeof describeZodError>[0]): string {
  const text = describeZodError(error);
  return text.length > 600 ? `${text.slice(0, 600)} …` : text;
}
