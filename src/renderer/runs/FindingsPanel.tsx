/**
 * The headline of a run: its findings, most severe first, each with its
 * numbers, a link that highlights its stretch on the run's charts, and what
 * to try next (a rerun with changed settings, or a sweep, prefilled).
 */
import { useMemo, useRef, useState } from 'react';
import { describeRange, sweepSpecOf, type Finding, type FindingEvidence } from '../../shared/findings.js';
import { pageForKind } from '../app/pages.js';
import { navigate } from '../app/router.js';
import { RunCharts } from '../charts/RunCharts.js';
import type { ChartHighlight } from '../charts/chart-definition.js';
import { formatMetric } from '../format.js';
import { sweepBuilderPath } from '../studies/sweep-draft.js';
import type { SeriesSource } from './series-source.js';
import './findings.css';

const SEVERITY_WORDS: Record<Finding['severity'], string> = { problem: 'Problem', warning: 'Warning', info: 'Note' };

/** The saved run a "Try next" starts from: its id and spec. Absent while the run goes (there is nothing to rerun yet). */
export interface FindingsRun {
  id: string;
  kind: string;
  spec: Record<string, unknown>;
}

/**
 * Which finding this is across updates: its rule and its place among that
 * rule's findings (a live finding's sentence changes with its numbers).
 */
function findingKeys(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const count = seen.get(finding.id) ?? 0;
    seen.set(finding.id, count + 1);
    return `${finding.id}#${count}`;
  });
}

function evidenceText(item: FindingEvidence): string {
  return typeof item.value === 'number' && item.unit ? formatMetric({ value: item.value, unit: item.unit }) : String(item.value);
}

/** Opens the page or builder a finding's "Try next" stands for. */
export function openTryNext(run: FindingsRun, finding: Finding): void {
  const tryNext = finding.tryNext;
  if (!tryNext) return;
  if (tryNext.action === 'sweep') {
    navigate(sweepBuilderPath(sweepSpecOf(run.spec, tryNext), `Try next, from a finding of run ${run.id}: ${finding.title}`));
    return;
  }
  const page = pageForKind(run.kind);
  if (!page) return;
  const query = new URLSearchParams({ from: run.id, ...(Object.keys(tryNext.patch).length ? { patch: JSON.stringify(tryNext.patch) } : {}) });
  navigate(`/${page.id}?${query.toString()}`);
}

export function FindingsPanel({
  findings,
  run,
  live = false,
  shown,
  onShow,
}: {
  findings: readonly Finding[] | undefined;
  run: FindingsRun | undefined;
  /** The findings are the live run's so far. */
  live?: boolean;
  /** The key (findingKeys) of the finding whose stretch the charts highlight. */
  shown: string | undefined;
  onShow: (key: string | undefined) => void;
}) {
  if (!findings) return null;
  const keys = findingKeys(findings);
  return (
    <section className="findings" aria-label="Findings">
      <h3>Findings{live ? ' so far' : ''}</h3>
      {findings.length === 0 ? (
        <p className="muted findings-none">{live ? 'Nothing to report yet.' : 'Nothing stood out in this run.'}</p>
      ) : (
        <ul className="findings-list">
          {findings.map((finding, index) => {
            const key = keys[index]!;
            const isShown = shown === key;
            return (
              <li key={key} className={`finding finding-${finding.severity}`} aria-label={finding.title}>
                <span className={`finding-severity severity-${finding.severity}`}>{SEVERITY_WORDS[finding.severity]}</span>
                <div className="finding-body">
                  <p className="finding-title">{finding.title}</p>
                  {finding.evidence.length > 0 && (
                    <dl className="finding-evidence">
                      {finding.evidence.map((item) => (
                        <div key={item.label}>
                          <dt>{item.label}</dt>
                          <dd>{evidenceText(item)}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                  {(finding.range || (finding.tryNext && run)) && (
                    <div className="finding-actions">
                      {finding.range && (
                        <button type="button" className="finding-show" aria-pressed={isShown} onClick={() => onShow(isShown ? undefined : key)}>
                          {isShown ? 'Hide on charts' : `Show on charts (${describeRange(finding.range)})`}
                        </button>
                      )}
                      {finding.tryNext && run && (
                        <button type="button" className="try-next" title={finding.tryNext.action === 'sweep' ? 'Opens the sweep builder, prefilled' : 'Opens the run form with these settings, to look over and run'} onClick={() => openTryNext(run, finding)}>
                          Try next: {finding.tryNext.label}
                        </button>
                      )}
                    </div>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * A run's findings above its charts: "Show on charts" highlights a finding's
 * stretch on every chart and brings the charts into view.
 */
export function FindingsAndCharts({
  kind,
  source,
  version,
  findings,
  run,
  live = false,
  busyThresholdCores,
}: {
  kind: string;
  source: SeriesSource;
  version: number;
  findings: readonly Finding[] | undefined;
  run: FindingsRun | undefined;
  live?: boolean;
  busyThresholdCores?: number | undefined;
}) {
  const [shown, setShown] = useState<string>();
  const charts = useRef<HTMLDivElement>(null);
  // A finding that is gone (the live list changed, another run) highlights nothing; a live one follows its stretch as it grows.
  const index = shown && findings ? findingKeys(findings).indexOf(shown) : -1;
  const current = index >= 0 ? findings![index] : undefined;
  const from = current?.range?.fromMs;
  const to = current?.range?.toMs;
  // Kept while it stays the same, so the charts redraw only when it changes.
  const highlight = useMemo<ChartHighlight | undefined>(
    () => (from !== undefined && to !== undefined ? { x1: from / 1000, x2: to / 1000, label: 'finding' } : undefined),
    [from, to],
  );
  return (
    <>
      <FindingsPanel
        findings={findings}
        run={run}
        live={live}
        shown={current ? shown : undefined}
        onShow={(key) => {
          setShown(key);
          if (key) charts.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        }}
      />
      <div ref={charts} className="findings-charts">
        <RunCharts kind={kind} source={source} version={version} highlight={highlight} {...(busyThresholdCores !== undefined ? { busyThresholdCores } : {})} />
      </div>
    </>
  );
}
