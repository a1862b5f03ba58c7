import { describe, expect, test } from 'vitest';
import {
  descendantsOf,
  intervalBetween,
  parseCpuPressure,
  parseLoadAverage,
  parsePidList,
  parseProcPidStat,
  parseProcStat,
  treeTicksBetween,
  type CpuTimes,
  type NoiseReading,
  type ProcessTimes,
} from '../src/main/engine/noise/proc-readings.js';

describe('parseProcStat', () => {
  test.each([
    {
      name: 'a current kernel (guest time already inside user)',
      text: 'cpu  156904 307 34078 279520 753 0 808 132 50 0\ncpu0 76500 151 16901 142115 184 0 300 68 0 0\ncpu1 80404 155 17177 137404 569 0 508 63 0 0\nintr 1 2 3\n',
      // busy = user+nice+system+irq+softirq+steal; total = busy+idle+iowait
      expected: { busy: 156904 + 307 + 34078 + 0 + 808 + 132, steal: 132, total: 156904 + 307 + 34078 + 808 + 132 + 279520 + 753, cpus: 2 },
    },
    {
      name: 'an old kernel without steal and guest fields',
      text: 'cpu  100 0 50 800 10 1 2\ncpu0 100 0 50 800 10 1 2\n',
      expected: { busy: 153, steal: 0, total: 963, cpus: 1 },
    },
    { name: 'no cpu line', text: 'intr 1 2 3\n', expected: undefined },
    { name: 'garbage numbers', text: 'cpu  a b c d\n', expected: undefined },
  ])('$name', ({ text, expected }) => {
    expect(parseProcStat(text)).toEqual(expected);
  });
});

describe('parseProcPidStat', () => {
  const tail = (ppid: number, utime: number, stime: number, cutime: number, cstime: number) =>
    `S ${ppid} 1 1 0 -1 4194560 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 7 0 100 1000 200`;
  test.each([
    { name: 'plain name', text: `1234 (node) ${tail(1, 10, 5, 3, 2)}`, expected: { pid: 1234, ppid: 1, ticks: 20 } },
    { name: 'name with spaces', text: `77 (postgres: writer ) ${tail(70, 1, 1, 0, 0)}`, expected: { pid: 77, ppid: 70, ticks: 2 } },
    { name: 'name with parentheses', text: `9 (a) (b)) ${tail(8, 100, 0, 0, 0)}`, expected: { pid: 9, ppid: 8, ticks: 100 } },
    { name: 'truncated', text: '9 (x) S 8 1', expected: undefined },
    { name: 'empty', text: '', expected: undefined },
  ])('$name', ({ text, expected }) => {
    expect(parseProcPidStat(text)).toEqual(expected);
  });
});

test.each([
  { text: '0.45 0.93 1.15 2/165 10243\n', expected: 0.45 },
  { text: '12.00 3 4 1/2 3', expected: 12 },
  { text: '', expected: null },
  { text: 'x y z', expected: null },
])('parseLoadAverage($text)', ({ text, expected }) => {
  expect(parseLoadAverage(text)).toBe(expected);
});

test.each([
  { text: 'some avg10=4.60 avg60=6.01 avg300=12.06 total=407871327\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n', expected: 0.046 },
  { text: 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n', expected: 0 },
  { text: 'full avg10=3.00 avg60=0.00 avg300=0.00 total=0\n', expected: null },
  { text: '', expected: null },
])('parseCpuPressure', ({ text, expected }) => {
  const pressure = parseCpuPressure(text);
  if (expected === null) expect(pressure).toBeNull();
  else expect(pressure).toBeCloseTo(expected, 10);
});

test.each([
  { text: '1234 5678 ', expected: [1234, 5678] },
  { text: '', expected: [] },
  { text: '\n', expected: [] },
  { text: '42', expected: [42] },
])('parsePidList($text)', ({ text, expected }) => {
  expect(parsePidList(text)).toEqual(expected);
});

test('descendantsOf finds children, grandchildren and nothing else', () => {
  const processes = [
    { pid: 1, ppid: 0 },
    { pid: 10, ppid: 1 }, // the workbench
    { pid: 11, ppid: 10 }, // a supervisor
    { pid: 12, ppid: 11 }, // its server
    { pid: 13, ppid: 10 }, // the postmaster
    { pid: 14, ppid: 13 }, // a backend
    { pid: 20, ppid: 1 }, // someone else
    { pid: 21, ppid: 20 },
  ];
  expect([...descendantsOf(10, processes)].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14]);
  expect([...descendantsOf(99, processes)]).toEqual([99]);
});

const tree = (...entries: Array<[pid: number, ppid: number, ticks: number]>) =>
  new Map<number, ProcessTimes>(entries.map(([pid, ppid, ticks]) => [pid, { pid, ppid, ticks }]));

describe('treeTicksBetween', () => {
  test.each([
    { name: 'the same processes', before: tree([10, 1, 100], [11, 10, 50]), after: tree([10, 1, 130], [11, 10, 60]), expected: 40 },
    { name: 'a child started in the interval counts whole', before: tree([10, 1, 100]), after: tree([10, 1, 110], [11, 10, 25]), expected: 35 },
    {
      // The child had 50 at the first reading, used 20 more, ended and was reaped: its parent's cutime grew by 70.
      name: 'a child that ended counts through its parent, once',
      before: tree([10, 1, 100], [11, 10, 50]),
      after: tree([10, 1, 100 + 5 + 70]),
      expected: 25,
    },
    {
      // A short-lived child (initdb's helpers) is only ever seen in its parent's cutime.
      name: 'a child born and reaped within the interval counts through its parent',
      before: tree([10, 1, 100]),
      after: tree([10, 1, 100 + 2 + 40]),
      expected: 42,
    },
    {
      // Supervisor and server killed together: the server, orphaned, is reaped outside the tree; only its last interval is lost.
      name: 'a grandchild orphaned by a kill is lost for one interval, no more',
      before: tree([10, 1, 100], [11, 10, 50], [12, 11, 500]),
      after: tree([10, 1, 100 + 55]),
      expected: 5,
    },
    { name: 'a reused pid counts as new', before: tree([10, 1, 100], [11, 10, 900]), after: tree([10, 1, 100], [11, 10, 3]), expected: 3 },
    { name: 'never negative', before: tree([10, 1, 100], [11, 10, 50]), after: tree([10, 1, 100]), expected: 0 },
  ])('$name', ({ before, after, expected }) => {
    expect(treeTicksBetween(before, after)).toBe(expected);
  });
});

describe('intervalBetween', () => {
  const cpu = (busy: number, steal: number, total: number, cpus = 2): CpuTimes => ({ busy, steal, total, cpus });
  const reading = (t: number, c: CpuTimes, workbenchTicks: number, extra: Partial<NoiseReading> = {}): NoiseReading => ({
    t,
    cpu: c,
    tree: tree([10, 1, workbenchTicks]),
    loadAverage: 1.5,
    cpuPressure: 0.1,
    ...extra,
  });
  test.each([
    {
      // 1 s on 2 CPUs = 200 ticks in all, 100 of wall; the machine was busy 150, the run 80: others used 0.7 cores.
      name: 'others are the machine busy time minus the run tree, per wall tick',
      before: reading(0, cpu(1000, 0, 5000), 500),
      after: reading(1000, cpu(1150, 0, 5200), 580),
      expected: { durationMs: 1000, othersCores: 0.7, stealRatio: 0, loadAverage: 1.5, cpuPressure: 0.1 },
    },
    {
      name: 'the run alone: others 0',
      before: reading(0, cpu(1000, 0, 5000), 500),
      after: reading(1000, cpu(1180, 0, 5200), 680),
      expected: { durationMs: 1000, othersCores: 0, stealRatio: 0, loadAverage: 1.5, cpuPressure: 0.1 },
    },
    {
      name: 'rounding between the two files never gives negative others',
      before: reading(0, cpu(1000, 0, 5000), 500),
      after: reading(1000, cpu(1100, 0, 5200), 610),
      expected: { durationMs: 1000, othersCores: 0, stealRatio: 0, loadAverage: 1.5, cpuPressure: 0.1 },
    },
    {
      name: 'steal counts as others (the hypervisor ran someone else) and as its share of all ticks',
      before: reading(0, cpu(1000, 10, 5000), 500),
      after: reading(1000, cpu(1100, 50, 5200), 540),
      expected: { durationMs: 1000, othersCores: 0.6, stealRatio: 0.2, loadAverage: 1.5, cpuPressure: 0.1 },
    },
    {
      name: 'no ticks passed: nothing to say',
      before: reading(0, cpu(1000, 0, 5000), 500),
      after: reading(5, cpu(1000, 0, 5000), 500, { cpuPressure: null }),
      expected: { durationMs: 5, othersCores: null, stealRatio: null, loadAverage: 1.5, cpuPressure: null },
    },
  ])('$name', ({ before, after, expected }) => {
    const interval = intervalBetween(before, after);
    expect({ ...interval, othersCores: interval.othersCores === null ? null : Number(interval.othersCores.toFixed(6)) }).toEqual(expected);
  });
});
