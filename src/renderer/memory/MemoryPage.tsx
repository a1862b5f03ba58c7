import { ArtifactDownload } from '../runs/ArtifactDownload.js';
import { useMemo } from 'react';
import type { RunEvent } from '../../shared/metrics.js';
import type { HeapDiffRow } from '../../shared/runtime.js';
import { memoryScenarioDescriptions, memoryScenarios, type MemoryScenario } from '../../shared/specs/index.js';
import type { PageProps } from '../app/pages.js';
import { EventsList } from '../components/EventsList.js';
import { Field } from '../components/Field.js';
import { RunHeading } from '../components/RunHeading.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { formatNumber } from '../format.js';
import { InspectPanel } from './InspectPanel.js';
import { isEventLoopRun } from './event-loop-runs.js';
import { LeakVerdictView } from './LeakVerdictView.js';
import {
  defaultMemoryForm,
  formFromSpec,
  leakRuleFields,
  numberFieldsOf,
  scenarioLabels,
  specFromForm,
  stepOf,
  usesLeakRule,
} from './memory-form.js';
import { ExperimentForm } from '../runs/ExperimentForm.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';
import { FindingsAndCharts } from '../runs/FindingsPanel.js';
import { memorySettingLabels } from '../../shared/specs/setting-labels.js';

const draft = createRunDraft(defaultMemoryForm());

/** The Event Loop page's runs are memory runs too; this page shows the others. */
const memoryPageRuns = { accepts: (run: { name: string }) => !isEventLoopRun(run) };

/** Events worth reading in a list: not the hundreds of GCs (they are on the charts). */
const listedEvents = new Set(['leak', 'job-failed', 'worker-replaced', 'heap-snapshot', 'artifact', 'sandbox', 'scenario']);

export function MemoryPage({ route }: PageProps) {
  const run = useExperimentRun('memory', memoryPageRuns);
  const runDraft = useRunDraft(draft, { from: route.query.get('from') ?? undefined, patch: route.query.get('patch') ?? undefined, fromRun: formFromSpec, running: run.live });

  const { form, setForm } = runDraft;
  const { spec, errors, valid } = useMemo(() => specFromForm(form), [form]);
  const { live, record, running } = run;
  const summary = record?.summary ?? live?.summary ?? {};
  const events = (record?.events ?? live?.events ?? []).filter((event) => listedEvents.has(event.type));
  const disabled = running || run.pending === 'start';
  const heapScenario = usesLeakRule(form.scenario);
  // Scenario numbers and the leak rule's numbers are the same kind of field, in two parts of the form.
  const numberField = (key: string, label: string, hint: string | undefined, error: string | undefined, value: string, onValue: (value: string) => void) => (
    <Field key={key} label={label} error={error} {...(hint ? { hint } : {})}>
      {(props) => (
        <input {...props} type="number" step={stepOf(key)} inputMode="decimal" value={value} disabled={disabled} onChange={(event) => onValue(event.target.value)} />
      )}
    </Field>
  );

  return (
    <div className="page">
      <header className="page-header">
        <h1>Memory</h1>
        <p className="page-intro">
          Run a memory scenario in a sandbox process on your Node and watch its heap spaces, GC and event loop. The leak
          detector fits the heap left after each major GC (the live set) and flags only sustained, steady growth.
        </p>
      </header>

      <section className="panel" aria-label="Experiment">
        <ExperimentForm run={run} draft={runDraft} spec={spec} canRun={valid} specProblem={errors.form}>
          <div className="form-grid">
            <Field label={memorySettingLabels.scenario} hint={memoryScenarioDescriptions[form.scenario]}>
              {(props) => (
                <select
                  {...props}
                  value={form.scenario}
                  disabled={disabled}
                  onChange={(event) => setForm({ ...form, scenario: event.target.value as MemoryScenario })}
                >
                  {memoryScenarios.map((scenario) => (
                    <option key={scenario} value={scenario}>
                      {scenarioLabels[scenario]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={memorySettingLabels.name} error={errors.name}>
              {(props) => (
                <input {...props} value={form.name} disabled={disabled} onChange={(event) => setForm({ ...form, name: event.target.value })} />
              )}
            </Field>
            {numberFieldsOf(form.scenario).map(({ key, label, hint }) =>
              numberField(key, label, hint, errors[key], form.numbers[key], (value) => setForm({ ...form, numbers: { ...form.numbers, [key]: value } })),
            )}
            {heapScenario &&
              leakRuleFields.map(({ key, label }) =>
                numberField(key, label, undefined, errors[`leakRule.${key}`], form.leakRule[key], (value) => setForm({ ...form, leakRule: { ...form.leakRule, [key]: value } })),
              )}
            {heapScenario && (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.snapshots}
                  disabled={disabled}
                  onChange={(event) => setForm({ ...form, snapshots: event.target.checked })}
                />{' '}
                Heap snapshots at start and end (diffed by constructor)
              </label>
            )}
          </div>
        </ExperimentForm>
      </section>

      {live && run.chartSource && (
        <section className="panel" aria-label="Current run">
          <RunHeading run={run} />
          <LeakVerdictView summary={summary} />
          <FindingsAndCharts kind="memory" source={run.chartSource} version={run.chartVersion} findings={record ? record.findings : live.findings} live={!record} run={record} />
          <SummaryTable summary={summary} caption={record ? 'Summary' : 'Live summary'} kind="memory" />
          <EventsList title="Events" events={events} />
          <SnapshotDiff events={record?.events ?? live.events} />
          {record && record.artifacts.length > 0 && (
            <table className="data-table" aria-label="Files of this run">
              <caption>Files of this run (in its folder of the data directory)</caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">File</th>
                  <th scope="col" className="num">Size (MB)</th>
                  <th scope="col">
                    <span className="visually-hidden">Download</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {record.artifacts.map((artifact) => (
                  <tr key={artifact.file}>
                    <td>{artifact.name}</td>
                    <td>
                      <code>{artifact.file}</code>
                    </td>
                    <td className="num">{formatNumber(artifact.bytes / 1024 / 1024)}</td>
                    <td>
                      <ArtifactDownload runId={record.id} file={artifact.file} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      <InspectPanel preferRunId={running ? live?.runId : undefined} />
    </div>
  );
}

/** What grew between the run's start and end heap snapshots (spec option "snapshots"). */
function SnapshotDiff({ events }: { events: readonly RunEvent[] }) {
  const end = [...events].reverse().find((event) => event.type === 'heap-snapshot' && Array.isArray(event.data?.diff));
  if (!end) return null;
  const rows = end.data!.diff as HeapDiffRow[];
  return (
    <table className="data-table" aria-label="Grown between the start and end snapshots">
      <caption>Grown between the start and end heap snapshots</caption>
      <thead>
        <tr>
          <th scope="col">Constructor</th>
          <th scope="col" className="num">Δ count</th>
          <th scope="col" className="num">Δ size (MB)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <td>{row.name}</td>
            <td className="num">{formatNumber(row.countDelta)}</td>
            <td className="num">{formatNumber(row.sizeDelta / 1024 / 1024)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
