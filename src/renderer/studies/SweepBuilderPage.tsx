import { useMemo } from 'react';
import { href } from '../app/router.js';
import { useCall, type Problem } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { HEADER_VIEW } from '../runs/run-views.js';
import { SweepBuilder } from './SweepBuilder.js';
import { draftFromBase, draftFromSpecJson, type SweepDraft } from './sweep-draft.js';

type Start = { draft: SweepDraft; origin: string };

/**
 * #/sweeps/new: the builder, started from a spec handed over in the URL (a
 * page's settings, a sweep to edit), a saved run (`from`), or the kind's
 * example.
 */
export function SweepBuilderPage({ query }: { query: URLSearchParams }) {
  const specText = query.get('spec');
  const from = query.get('from');
  const kind = query.get('kind') ?? 'pool';
  const originText = query.get('origin');

  const handedOver = useMemo((): { start: Start } | { problem: Problem } | undefined => {
    if (specText === null) return undefined;
    try {
      const json: unknown = JSON.parse(specText);
      return { start: { draft: draftFromSpecJson(json), origin: originText ?? 'Prefilled from the spec handed over.' } };
    } catch (error) {
      return { problem: { message: `The spec handed to the builder is not valid JSON (${(error as Error).message})` } };
    }
  }, [specText, originText]);
  const savedRun = useCall('runs.get', specText === null && from ? { runId: from, display: HEADER_VIEW } : undefined);
  const example = useCall('spec.example', specText === null && !from ? { kind } : undefined);

  const start = useMemo((): Start | undefined => {
    if (handedOver) return 'start' in handedOver ? handedOver.start : undefined;
    if (savedRun.data) return { draft: draftFromBase(savedRun.data.run.spec), origin: `Base: the spec of run ${savedRun.data.run.id}.` };
    if (example.data) return { draft: draftFromBase(example.data.spec), origin: `Base: the example ${kind} spec.` };
    return undefined;
  }, [handedOver, savedRun.data, example.data, kind]);
  const problem = (handedOver && 'problem' in handedOver ? handedOver.problem : undefined) ?? savedRun.error ?? example.error;

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href('/sweeps')}>Sweeps</a> / <span>New</span>
      </nav>
      <header className="page-header">
        <h1>New sweep</h1>
        <p className="page-intro">Vary one or two settings of an experiment; each point runs several times so the result comes with error bars.</p>
      </header>
      {problem && <ErrorNote error={problem} title="Could not prefill the sweep" />}
      {!start && !problem && <p className="muted">Loading…</p>}
      {/* Keyed so a new handed-over spec replaces the draft rather than merging into it. */}
      {start && <SweepBuilder key={`${specText ?? ''}|${from ?? ''}|${kind}`} initial={start.draft} origin={start.origin} />}
    </div>
  );
}
