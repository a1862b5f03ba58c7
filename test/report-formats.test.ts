import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { runSideBySide, spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

describe('Markdown, CSV and comparison reports', () => {
  it('carry the numbers, the spec and the environment fingerprint', async () => {
    const engine = await engines.open(await engines.tempDir());
    const [two, one] = await runSideBySide(engine, spinSpec(2, 40), spinSpec(1, 40));

    const md = (await engine.call('report.export', { target: { runId: one.id }, format: 'md' })).content;
    expect(md).toContain(`# ${one.name}`);
    expect(md).toMatch(/\| Throughput[^|]* \(throughput\) \| [\d.]+ jobs\/s \| higher \|/);
    expect(md).toContain('"threads": 1');
    expect(md).toContain(`| Node | ${one.environment.node} |`);

    const csv = (await engine.call('report.export', { target: { runId: one.id }, format: 'csv' })).content;
    const lines = csv.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('# spec: '))).toHaveLength(1);
    expect(lines.find((line) => line.startsWith('# environment: '))).toContain(`"node":"${one.environment.node}"`);
    expect(lines).toContain('section,name,t_ms,value,unit');
    expect(lines.some((line) => line.startsWith(`summary,throughput,,${one.summary.throughput!.value},jobs/s`))).toBe(true);
    const seriesRows = lines.filter((line) => line.startsWith('series,'));
    expect(seriesRows.length).toBe(Object.values(one.series).reduce((sum, s) => sum + s.t.length, 0));

    // Judged even if other tests kept the machine busy (that case has its own test).
    const target = { baseline: { runIds: [two.id] }, candidate: { runIds: [one.id] }, allowNoisy: true };
    const comparisonMd = (await engine.call('report.export', { target, format: 'md' })).content;
    expect(comparisonMd).toContain('## Changed settings');
    expect(comparisonMd).toContain('| pool.threads | 2 | 1 |');
    // One run per side: the verdict is indicative, and the report says how its intervals were made.
    expect(comparisonMd).toMatch(/\| Queue wait p50 \(waitP50\) \|.*\| WORSE \(indicative\) \|/);
    // The answer first: the verdict on throughput, then the forest plot's metrics and the table.
    expect(comparisonMd.indexOf('## Verdict')).toBeGreaterThan(0);
    expect(comparisonMd.indexOf('## Verdict')).toBeLessThan(comparisonMd.indexOf('## All metrics'));
    expect(comparisonMd).toMatch(/\npool\.threads 2 → 1: throughput [-+][\d.]+ % \(no interval\).*; inconclusive \(indicative single runs\)\n/);
    expect(comparisonMd).toContain('Verdicts are indicative (one run per side: within-run noise only).');
    expect(comparisonMd).toContain('## Method');
    expect(comparisonMd).toContain('block bootstrap of the per-item values in time order');
    const comparisonCsv = (await engine.call('report.export', { target, format: 'csv' })).content;
    expect(comparisonCsv).toContain('metric,unit,better,baseline,candidate,diff,rel_diff,ci_low,ci_high');
    expect(comparisonCsv).toMatch(/\nwaitP50,ms,lower,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,per-item,40,40,true,worse\n/);
    const comparisonHtml = (await engine.call('report.export', { target, format: 'html' })).content;
    expect(comparisonHtml).toContain('Change versus baseline');
    expect(comparisonHtml.indexOf('pool.threads 2 → 1: throughput')).toBeLessThan(comparisonHtml.indexOf('Change versus baseline'));
    expect(comparisonHtml).not.toMatch(/https?:\/\//i);
  });
});
