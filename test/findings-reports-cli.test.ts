import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CliIo, CliOutput } from '../src/main/cli.js';
import { buildDocument } from '../src/main/engine/studies/report/document.js';
import { renderCsv } from '../src/main/engine/studies/report/csv.js';
import { renderHtml } from '../src/main/engine/studies/report/html.js';
import { renderMarkdown } from '../src/main/engine/studies/report/markdown.js';
import type { Finding } from '../src/shared/findings.js';
import { tinyRunRecord } from './fixtures/run-record.js';
import { workersDir } from './fixtures/pools.js';

function capture(): CliOutput & { text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/main/cli.js');
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdout, stderr, env, workersDir };
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-findings-cli-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const queueWait: Finding = {
  id: 'pool.queue-wait',
  severity: 'warning',
  title: 'Queue wait dominates: jobs waited 25 ms (p50) for a thread and ran 2 ms (12.5× as long); add threads, up to the 2 cores.',
  evidence: [
    { label: 'queue wait p50', value: 25, unit: 'ms' },
    { label: 'threads', value: 1, unit: 'count' },
  ],
  range: { fromMs: 400, toMs: 5_400 },
  tryNext: { action: 'sweep', label: 'Sweep threads over 1, 2', axis: { path: 'pool.threads', values: [1, 2] } },
};

it('reports put the findings first: a table in HTML and Markdown, a meta line in CSV; none for an older record', () => {
  const exporter = tinyRunRecord('exporter').environment;
  const run = { ...tinyRunRecord('run-1'), findings: [queueWait] };
  const document = buildDocument({ type: 'run', run }, '2026-01-01T00:00:00.000Z', exporter);
  expect(document.blocks[0]).toEqual({ type: 'heading', text: 'Findings' });
  expect(document.blocks[1]).toEqual({
    type: 'table',
    header: ['Severity', 'Finding', 'Numbers', 'When', 'Try next'],
    rows: [['warning', queueWait.title, 'queue wait p50 25 ms · threads 1', '0.4–5.4 s', 'Sweep threads over 1, 2 (sweep pool.threads: 1, 2)']],
  });
  const markdown = renderMarkdown(document);
  expect(markdown.indexOf('## Findings')).toBeLessThan(markdown.indexOf('## Summary'));
  expect(markdown).toContain('| warning | Queue wait dominates: jobs waited 25 ms (p50) for a thread and ran 2 ms (12.5× as long); add threads, up to the 2 cores. |');
  const html = renderHtml(document);
  expect(html.indexOf('<h2>Findings</h2>')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
  const csv = renderCsv({ type: 'run', run }, '2026-01-01T00:00:00.000Z', exporter);
  expect(csv.split('\n').find((line) => line.startsWith('# findings: '))).toBe(`# findings: ${JSON.stringify([queueWait])}`);

  const none = buildDocument({ type: 'run', run: { ...run, findings: [] } }, '2026-01-01T00:00:00.000Z', exporter);
  expect(none.blocks.slice(0, 2)).toEqual([{ type: 'heading', text: 'Findings' }, { type: 'paragraph', text: 'Nothing stood out in this run.' }]);
  const older = buildDocument({ type: 'run', run: tinyRunRecord('run-0') }, '2026-01-01T00:00:00.000Z', exporter);
  expect(older.blocks.some((block) => block.type === 'heading' && block.text === 'Findings')).toBe(false);
  expect(renderCsv({ type: 'run', run: tinyRunRecord('run-0') }, '2026-01-01T00:00:00.000Z', exporter)).not.toContain('# findings');
});

it('tunebench run prints the findings after the summary, and the report of the run has them', async () => {
  const specFile = path.join(dir, 'queue.json');
  await fs.writeFile(
    specFile,
    JSON.stringify({ kind: 'pool', task: { name: 'spin', params: { ms: 3 } }, pool: { implementation: 'simple', threads: 1 }, jobs: 400, concurrency: 8, warmupSec: 0.1 }),
  );
  const out = path.join(dir, 'data');
  const result = await cli(['run', specFile, '--out', out], {});
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.split('\n');
  const machine = lines.findIndex((line) => line.startsWith('machine: '));
  const findings = lines.indexOf('findings:');
  expect(findings, result.stdout).toBeGreaterThan(machine);
  const warning = lines.slice(findings).find((line) => line.startsWith('  ! warning: Queue wait dominates: '));
  expect(warning, result.stdout).toBeDefined();
  const at = lines.indexOf(warning!);
  expect(lines[at + 1]).toMatch(/^ {6}queue wait p50 [\d.]+ ms · run time p50 [\d.]+ ms · /);
  expect(lines[at + 2]).toMatch(/^ {6}at [\d.]+–[\d.]+ s; try next: Sweep threads over 1, 2 \(sweep pool\.threads: 1, 2\)$/);

  const id = /^Run (\S+) /.exec(result.stdout)![1]!;
  const report = await cli(['report', id, '--format', 'md'], { TUNEBENCH_DATA_DIR: out });
  expect(report.code, report.stderr).toBe(0);
  expect(report.stdout).toMatch(/## Findings\n\n\| Severity \| Finding \| Numbers \| When \| Try next \|\n/);
  expect(report.stdout).toContain('Queue wait dominates');
});
