import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import { describeKnobRange } from '../../shared/specs/services.js';
import { looksLikeSpecFile } from '../../shared/specs/spec-file.js';
import { navigate } from '../app/router.js';
import { useServices } from '../app/services.js';
import { useCall, type Problem } from '../app/use-call.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';
import { formatDuration } from '../format.js';
import { kindOf, orderSettings, settingOptionText } from './setting-labels.js';
import { draftFromSpecJson, problemByField, settingPaths, sweepSpecFromDraft, type AxisDraft, type SweepDraft } from './sweep-draft.js';

/** Typing settles this long before the engine is asked for a preview. */
const PREVIEW_DELAY_MS = 250;

/**
 * Builds a sweep over one experiment: the settings to vary and their values,
 * repeats, warm-up and order, with the engine's preview of how many runs and
 * how long; starting it opens the sweep's page, which shows its progress.
 */
export function SweepBuilder({ initial, origin }: { initial: SweepDraft; origin?: ReactNode }) {
  const { client } = useServices();
  const fileInputId = useId();
  const [draft, setDraft] = useState(initial);
  const [startProblem, setStartProblem] = useState<Problem>();
  const [fileProblem, setFileProblem] = useState<Problem>();
  const [starting, setStarting] = useState(false);

  const built = useMemo(() => sweepSpecFromDraft(draft), [draft]);
  const spec = 'spec' in built ? built.spec : undefined;
  // The engine previews the spec once typing settles; the last preview stays meanwhile.
  const settledSpec = useSettled(spec, PREVIEW_DELAY_MS);
  const previewCall = useCall('sweeps.preview', spec ? { spec: settledSpec ?? spec } : undefined, { keepPrevious: true });
  const preview = previewCall.data;
  const problem = 'problem' in built ? { message: built.problem } : (startProblem ?? previewCall.error);
  const base = useMemo(() => {
    try {
      return JSON.parse(draft.baseText) as unknown;
    } catch {
      return undefined;
    }
  }, [draft.baseText]);
  // A load run on a defined service: every knob it declares can be swept, set in the base or not.
  const serviceName = serviceOf(base);
  const servicesListed = useCall('services.list', serviceName ? {} : undefined);
  const knobs = useMemo(
    () => servicesListed.data?.services.find((view) => !view.shadowedBy && view.definition.name === serviceName)?.definition.knobs ?? [],
    [servicesListed.data, serviceName],
  );
  const baseKind = kindOf(base);
  const suggestions = useMemo(
    () => orderSettings(baseKind, [...new Set([...knobs.map((knob) => `target.knobs.${knob.name}`), ...settingPaths(base)])]),
    [base, baseKind, knobs],
  );
  // A path typed by hand (or from a sweep file) that the list does not offer.
  const [typedPath, setTypedPath] = useState<[boolean, boolean]>([false, false]);
  const fieldProblems = problem ? problemByField(problem.message, draft) : {};

  const start = async () => {
    if (!spec) return;
    setStarting(true);
    setStartProblem(undefined);
    try {
      const { sweepId } = await client.call('sweeps.start', { spec });
      navigate(`/sweeps/${encodeURIComponent(sweepId)}`);
    } catch (thrown) {
      setStartProblem(errorOf(thrown));
      setStarting(false);
    }
  };

  const openSpecFile = async (file: File) => {
    setFileProblem(undefined);
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (error) {
      setFileProblem({ message: `${file.name} is not valid JSON (${(error as Error).message})` });
      return;
    }
    if (!looksLikeSpecFile(json)) {
      setFileProblem({ message: `${file.name} is not an experiment or sweep spec (it needs a "kind"; reports are imported on the Sweeps page)` });
      return;
    }
    setStartProblem(undefined);
    setDraft(draftFromSpecJson(json));
  };

  // An edit makes a refused start old news: the preview says what is wrong now.
  const change = (patch: Partial<SweepDraft>) => {
    setStartProblem(undefined);
    setDraft((current) => ({ ...current, ...patch }));
  };
  const changeAxis = (index: 0 | 1, patch: Partial<AxisDraft>) => {
    setStartProblem(undefined);
    setDraft((current) => {
      const axes: [AxisDraft, AxisDraft] = [...current.axes];
      axes[index] = { ...axes[index], ...patch };
      return { ...current, axes };
    });
  };

  return (
    <>
      <section className="panel" aria-label="Sweep settings">
        {origin && <p className="muted">{origin}</p>}
        {!!knobs.length && (
          <p className="muted" aria-label="Knobs of the service">
            Knobs of {serviceName}: {knobs.map((knob) => `target.knobs.${knob.name} (${describeKnobRange(knob)})`).join(', ')}
          </p>
        )}
        <div className="form-grid">
          {([0, 1] as const).map((index) => {
            const axis = draft.axes[index];
            const typed = typedPath[index] || (!!axis.path && !suggestions.includes(axis.path));
            const pathError = fieldProblems[`path${index}`];
            const valuesError = fieldProblems[`values${index}`];
            return (
              <div className="form-group" key={index}>
                <Field label={index === 0 ? 'Swept setting' : 'Second swept setting (optional)'} error={typed ? undefined : pathError}>
                  {(props) => (
                    <select
                      {...props}
                      value={typed ? OTHER : axis.path}
                      onChange={(e) => {
                        const other = e.target.value === OTHER;
                        setTypedPath((current) => (index === 0 ? [other, current[1]] : [current[0], other]));
                        if (!other) changeAxis(index, { path: e.target.value });
                      }}
                    >
                      <option value="">{index === 0 ? 'Choose a setting…' : 'None'}</option>
                      {suggestions.map((path) => (
                        <option key={path} value={path}>
                          {settingOptionText(baseKind, path)}
                        </option>
                      ))}
                      <option value={OTHER}>Another setting, by its path…</option>
                    </select>
                  )}
                </Field>
                {typed && (
                  <Field label={index === 0 ? 'Setting path' : 'Second setting path'} error={pathError}>
                    {(props) => (
                      <input {...props} value={axis.path} placeholder="e.g. task.params.limit" onChange={(e) => changeAxis(index, { path: e.target.value })} />
                    )}
                  </Field>
                )}
                <Field label={index === 0 ? 'Values' : 'Second values'} error={valuesError}>
                  {(props) => <input {...props} value={axis.values} placeholder="1, 2, 4, 8" onChange={(e) => changeAxis(index, { values: e.target.value })} />}
                </Field>
              </div>
            );
          })}
          <div className="form-group">
            <div className="field">
              <label htmlFor="sweep-repeats">Repeats</label>
              <input id="sweep-repeats" type="number" min={1} max={50} value={draft.repeats} onChange={(e) => change({ repeats: Number(e.target.value) })} />
            </div>
            <div className="field">
              <label htmlFor="sweep-warmup">Warm-up runs</label>
              <input id="sweep-warmup" type="number" min={0} max={10} value={draft.warmup} onChange={(e) => change({ warmup: Number(e.target.value) })} />
            </div>
            <div className="field">
              <label htmlFor="sweep-order">Order</label>
              <select id="sweep-order" value={draft.order} onChange={(e) => change({ order: e.target.value as SweepDraft['order'] })}>
                <option value="random">Random (recommended)</option>
                <option value="sequential">Sequential</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="sweep-seed">Seed</label>
              <input id="sweep-seed" type="number" min={0} value={draft.seed} onChange={(e) => change({ seed: Number(e.target.value) })} />
            </div>
            <div className="field">
              <label htmlFor="sweep-name">Sweep name (optional)</label>
              <input id="sweep-name" value={draft.name} maxLength={200} onChange={(e) => change({ name: e.target.value })} />
            </div>
          </div>
        </div>
        {/* The page's form made the base; editing it by hand is for what the form does not offer. */}
        <details className="advanced" open={Boolean(fieldProblems.base)}>
          <summary>The experiment every point starts from (JSON, advanced)</summary>
          <div className={fieldProblems.base ? 'field field-invalid' : 'field'}>
            <label htmlFor="sweep-base">Base spec (JSON)</label>
            <textarea
              id="sweep-base"
              rows={14}
              value={draft.baseText}
              aria-invalid={Boolean(fieldProblems.base)}
              onChange={(e) => change({ baseText: e.target.value })}
              spellCheck={false}
            />
            {fieldProblems.base && <span className="field-error">{fieldProblems.base}</span>}
          </div>
        </details>
        <div className="import-button">
          <label htmlFor={fileInputId} className="button-like">
            Open spec file…
          </label>
          <input
            id={fileInputId}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void openSpecFile(file);
            }}
          />
          {fileProblem && <ErrorNote error={fileProblem} title="Spec file not opened" />}
        </div>
      </section>
      <section className="panel" aria-label="Preview" aria-live="polite">
        {preview && <PreviewLine preview={preview} />}
        {problem && <ErrorNote error={Object.keys(fieldProblems).length ? { message: `${problem.message} (shown beside its field above)` } : problem} title="Not a valid sweep yet" />}
        <div className="actions">
          <button type="button" className="primary" disabled={!preview || starting} onClick={() => void start()}>
            Start sweep
          </button>
        </div>
      </section>
    </>
  );
}

/** A value that follows `value` once it has stopped changing for `delayMs`. */
function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function PreviewLine({ preview }: { preview: CallResponse<'sweeps.preview'> }) {
  const duration =
    preview.estimatedMs !== null
      ? ` — about ${formatDuration(preview.estimatedMs)}`
      : preview.upperBoundMs !== null
        ? ` — at most ${formatDuration(preview.upperBoundMs)} (time limits)`
        : '';
  return (
    <p>
      <strong>
        {preview.points} point(s), {preview.runs} run(s)
      </strong>
      {duration}. <span className="muted">{preview.basis}</span>
    </p>
  );
}

/** The defined service a load spec targets, if it targets one. */
function serviceOf(base: unknown): string | undefined {
  if (!base || typeof base !== 'object') return undefined;
  const target = (base as { kind?: unknown; target?: unknown }).target;
  if ((base as { kind?: unknown }).kind !== 'load' || !target || typeof target !== 'object') return undefined;
  const { type, service } = target as { type?: unknown; service?: unknown };
  return type === 'service' && typeof service === 'string' ? service : undefined;
}

const OTHER = '\u0000other';
