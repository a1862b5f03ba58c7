import { useMemo } from 'react';
import type { PageProps } from '../app/pages.js';
import { useCall } from '../app/use-call.js';
import { ClusterPanel } from '../cluster/ClusterPanel.js';
import {
  defaultClusterForm,
  defaultLoadForm,
  loadFormFromSpec,
  loadSpecFromForm,
  type ClusterForm,
  type LoadForm,
} from '../cluster/cluster-form.js';
import { LoadFormView } from './LoadFormView.js';
import { useCluster } from '../cluster/use-cluster.js';
import { EventsList } from '../components/EventsList.js';
import { RunHeading } from '../components/RunHeading.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { ExportScriptButtons } from './ExportScriptButtons.js';
import { ExperimentForm } from '../runs/ExperimentForm.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { createRunDraft, useRunDraft } from '../runs/use-run-draft.js';
import { FindingsAndCharts } from '../runs/FindingsPanel.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';
import { ServiceRunLog } from '../services/ServiceLogTail.js';
import type { KnobType } from '../cluster/cluster-form.js';

/** The page's form: the cluster's settings (for the standing cluster or one started for the run) and the load. */
interface LoadPageForm {
  cluster: ClusterForm;
  load: LoadForm;
}

const draft = createRunDraft<LoadPageForm>({ cluster: defaultClusterForm(), load: defaultLoadForm() });

/** A saved run's load settings, and its cluster's when it started one; otherwise the cluster settings stay as they were. */
function formFromRun(spec: Parameters<typeof loadFormFromSpec>[0], current: LoadPageForm): LoadPageForm {
  const { form, cluster } = loadFormFromSpec(spec);
  return { load: form, cluster: cluster ?? current.cluster };
}

export function LoadPage({ route }: PageProps) {
  const cluster = useCluster();
  const run = useExperimentRun('load');
  const runDraft = useRunDraft(draft, { from: route.query.get('from') ?? undefined, patch: route.query.get('patch') ?? undefined, fromRun: formFromRun, running: run.live });
  const { form, setForm } = runDraft;
  const { cluster: clusterForm, load: loadForm } = form;
  const setClusterForm = (cluster: ClusterForm) => setForm((current) => ({ ...current, cluster }));
  const setLoadForm = (load: LoadForm) => setForm((current) => ({ ...current, load }));

  // The defined services a run can start, and the chosen one's knob types for reading its boxes.
  const servicesListed = useCall('services.list', {});
  const definitions = useMemo(
    () => (servicesListed.data?.services ?? []).filter((view) => !view.shadowedBy).map((view) => view.definition),
    [servicesListed.data],
  );
  const knobTypes = useMemo(() => {
    const chosen = definitions.find((definition) => definition.name === loadForm.service);
    return Object.fromEntries((chosen?.knobs ?? []).map((knob) => [knob.name, knob.type])) as Record<string, KnobType>;
  }, [definitions, loadForm.service]);
  const { spec, errors, valid } = useMemo(() => loadSpecFromForm(loadForm, clusterForm, knobTypes), [loadForm, clusterForm, knobTypes]);
  const clusterRunning = cluster.status?.state === 'running';
  const needsCluster = loadForm.target === 'running-cluster' && !clusterRunning;
  const { live, running, pending, record, chartSource, chartVersion } = run;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Load</h1>
        <p className="page-intro">
          Put HTTP load on a cluster of test servers (started for the run, or the standing one below the form) or on any http:// service, and
          watch each worker: its share of requests, its event loop, its restarts when you break it.
        </p>
      </header>

      {/* The load and its Run button first (above the fold at 1400×900); the standing cluster follows. */}
      <section className="panel" aria-label="Load">
        <h2>Load</h2>
        <ExperimentForm
          run={run}
          draft={runDraft}
          spec={spec}
          canRun={valid && !needsCluster}
          sweepPage="Cluster"
          runLabel="Run load"
          stopLabel="Stop load"
          afterActions={<ExportScriptButtons spec={spec} disabled={!valid} />}
        >
          <LoadFormView
            form={loadForm}
            errors={errors}
            disabled={running || pending === 'start'}
            clusterRunning={clusterRunning}
            services={definitions}
            onChange={setLoadForm}
          />
        </ExperimentForm>
      </section>

      <ClusterPanel cluster={cluster} form={clusterForm} onFormChange={setClusterForm} />

      {live && chartSource && (
        <section className="panel" aria-label="Current run">
          <RunHeading run={run} />
          <FindingsAndCharts kind="load" source={chartSource} version={chartVersion} findings={record ? record.findings : live.findings} live={!record} run={record} />
          <SummaryTable summary={record?.summary ?? live.summary} caption={record ? 'Summary' : 'Live summary'} kind="load" />
          <EventsList
            title="Run timeline"
            events={record?.events ?? live.events}
            dropped={record ? 0 : live.eventsDropped}
            // On the clock, like the cluster's timeline: one time base for both.
            clockFrom={record ? Date.parse(record.startedAt) : live.startedAtMs}
          />
          <ServiceRunLog runId={run.runId} savedRows={record?.tables?.serviceLog?.rows} />
          <RuntimePanel kind="load" source={chartSource} version={chartVersion} />
        </section>
      )}
    </div>
  );
}
