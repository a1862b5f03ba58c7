import { describe, expect, it } from 'vitest';
import { describeServerExit, judgeLeftover, parsePidFile, type LeftoverFacts } from '../src/main/engine/postgres/postmaster.js';

const cluster = '/var/lib/tunebench/0123456789abcdef';
const pidFileText = `4242\n${cluster}\n1733450000\n40123\n\n127.0.0.1\n  1234567   7\nready   \n`;

describe('postmaster.pid', () => {
  it('reads pid, data directory, port and status', () => {
    expect(parsePidFile(pidFileText)).toEqual({ pid: 4242, dataDir: cluster, port: 40123, status: 'ready' });
    expect(parsePidFile('4242\n')).toEqual({ pid: 4242 });
    expect(parsePidFile('')).toBeUndefined();
    expect(parsePidFile('not a pid\n')).toBeUndefined();
    expect(parsePidFile('-1\n')).toBeUndefined();
  });
});

describe('a postmaster.pid found before a start', () => {
  const base: LeftoverFacts = {
    pidFile: { pid: 4242 },
    clusterDir: cluster,
    running: true,
    commandLine: `/opt/pg/bin/postgres -D ${cluster} -p 40123`,
    owner: { pid: 77, startTime: '123' },
    ownerRunning: false,
  };
  it.each<[string, Partial<LeftoverFacts>, ReturnType<typeof judgeLeftover>]>([
    ['no file', { pidFile: undefined }, { kind: 'none' }],
    ['its process is gone: PostgreSQL removes the file itself', { running: false }, { kind: 'stale' }],
    ['its pid now runs something else', { commandLine: 'bash' }, { kind: 'reused', pid: 4242 }],
    ['its Tunebench still runs', { ownerRunning: true }, { kind: 'in-use', pid: 4242, ownerPid: 77 }],
    ['its Tunebench is gone', {}, { kind: 'leftover', pid: 4242 }],
    ['no owner recorded (an older Tunebench)', { owner: undefined }, { kind: 'leftover', pid: 4242 }],
    ['command line unreadable: trusted to be the server', { commandLine: undefined }, { kind: 'leftover', pid: 4242 }],
  ])('%s', (_name, change, expected) => {
    expect(judgeLeftover({ ...base, ...change })).toEqual(expected);
  });
});

describe('how the server ended', () => {
  it.each([
    [{ code: 137, signal: null }, 'the postmaster was killed by SIGKILL'],
    [{ code: 1, signal: null }, 'the postmaster exited with code 1'],
    [{ code: null, signal: 'SIGKILL' as const }, 'signal SIGKILL'],
  ])('%j → %s', (exit, expected) => {
    expect(describeServerExit({ ...exit, outcome: 'error', stderrTail: [] })).toBe(expected);
  });
});
