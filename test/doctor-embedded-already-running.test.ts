import { describe, expect, it } from 'vitest';
import { checkEmbeddedStart, type EmbeddedStartFacts } from '../src/main/engine/doctor.js';

describe('the embedded PostgreSQL check says "already running" rather than a start time it did not measure', () => {
  it.each<[string, EmbeddedStartFacts, string]>([
    ['started by the check', { version: '18.4', port: 5555, clusterDir: '/c', startMs: 812.4 }, 'PostgreSQL 18.4 answers on 127.0.0.1:5555 (ready in 812 ms); cluster in /c'],
    [
      'running before the check (its 0 ms is no start time)',
      { version: '18.4', port: 5555, clusterDir: '/c', startMs: 0.2, alreadyRunning: true },
      'PostgreSQL 18.4 answers on 127.0.0.1:5555 (already running); cluster in /c',
    ],
    ['started, without a version', { port: 5555, clusterDir: '/c', startMs: 40 }, 'PostgreSQL (version unknown) answers on 127.0.0.1:5555 (ready in 40 ms); cluster in /c'],
  ])('%s', (_name, facts, detail) => {
    const check = checkEmbeddedStart(facts);
    expect(check.status).toBe('ok');
    expect(check.detail).toBe(detail);
  });
});
