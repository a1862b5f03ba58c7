import { describe, expect, it } from 'vitest';
import { rebuildFromJournal } from '../src/main/engine/run-journal.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const base = tinyRunRecord('run-j');
const header = JSON.stringify({
  type: 'run',
  journal: 1,
  id: 'run-j',
  kind: 'pool',
  name: 'journaled',
  spec: { kind: 'pool' },
  startedAt: '2026-12-06T10:00:00.000Z',
  environment: base.environment,
  pid: 1,
  processStart: '1',
});
const delta = (second: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'delta',
    at: new Date(Date.UTC(2026, 11, 6, 10, 0, second)).toISOString(),
    elapsedMs: second * 1000,
    series: { throughput: { unit: 'jobs/s', t: [second * 1000 - 500, second * 1000], v: [second, second + 0.5] } },
    events: [{ t: second * 1000, type: 'tick', message: `second ${second}` }],
    summary: { throughput: { value: second * 10, unit: 'jobs/s', better: 'higher' } },
    ...extra,
  });

describe('a run rebuilt from its journal', () => {
  it('holds every flushed sample and event, the last summary and distributions, as an interrupted run', () => {
    const distributions = { runMs: { unit: 'ms', observed: 3, values: [1, 2, 3] } };
    const text = [header, delta(1), delta(2, { distributions }), delta(3)].join('\n') + '\n';
    const { record, samples, warnings } = rebuildFromJournal(text, 'run-j.journal.ndjson');
    expect(warnings).toEqual([]);
    expect(samples).toBe(6);
    expect(record).toMatchObject({ id: 'run-j', name: 'journaled', status: 'interrupted', durationMs: 3000, endedAt: '2026-12-06T10:00:03.000Z' });
    expect(record.series.throughput!.t).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    expect(record.events.map((event) => event.message)).toEqual(['second 1', 'second 2', 'second 3']);
    expect(record.summary.throughput!.value).toBe(30);
    expect(record.distributions).toEqual(distributions);
    expect(record.error?.code).toBe('TB_RUN_INTERRUPTED');
  });

  it('reads up to a torn last line, with a warning, and skips an unreadable line in the middle', () => {
    const torn = [header, delta(1), '{"type":"delta","at":"2026', delta(3)].join('\n') + '\n' + delta(4).slice(0, 40);
    const { record, warnings } = rebuildFromJournal(torn, 'run-j.journal.ndjson');
    expect(record.series.throughput!.t.at(-1)).toBe(3000);
    expect(warnings).toEqual([
      'line 3 of run-j.journal.ndjson could not be read and was skipped',
      'the last line of run-j.journal.ndjson was cut off mid-write; the run is recovered up to the line before',
    ]);
  });

  it('refuses a journal without a readable header, or with an unsafe id, naming the file', () => {
    expect(() => rebuildFromJournal('not json\n', 'x.journal.ndjson')).toThrow('Cannot import x.journal.ndjson: its first line is not JSON');
    const hostile = header.replace('"id":"run-j"', '"id":"../escape"');
    expect(() => rebuildFromJournal(`${hostile}\n`, 'x.journal.ndjson')).toThrow('its first line is not a run journal header');
  });
});
