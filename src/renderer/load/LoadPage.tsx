import { useMemo } from 'react';
import type { PageProps } from '../app/pages.js';
import { RunCharts } from '../charts/RunCharts.js';
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
import { ErrorNote } from '../components/ErrorNote.js';
import { EventsList } from '../components/EventsList.js';
import { RerunNote } from '../components/RerunNote.js';
import { RunHeading } from '../components/RunHeading.js';
import { RunStopButtons } from '../components/RunStopButtons.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { SweepButton } from '../studies/SweepButton.js';
import { useDraftState } from '../runs/use-draft-state.js';
import { useExperimentRun } from '../runs/use-experiment-run.js';
import { useRerunPrefill } from '../runs/use-rerun-prefill.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';

const draft: { cluster: ClusterForm; load: LoadForm; rerunOf: string | undefined } = {
  cluster: defaultClusterForm(),
  load: defaultLoadForm(),
  rerunOf: undefined,
};

export function LoadPage({ route }: PageProps) {
  const cluster = useCluster();
  const run = useExperimentRun('load');
  const [clusterForm, setClusterForm] = useDraftState(draft, 'cluster');
  const [loadForm, setLoadForm] = useDraftState(draft, 'load');
  const [rerunOf, setRerunOf] = useDraftState(draft, 'rerunOf');

  useRerunPrefill(
    route.query.get('from') ?? undefined,
    (saved) => {
      const { form, cluster: clusterFromRun } = loadFormFromSpec(saved.spec);
      setLoadForm(form);
      if (clusterFromRun) setClusterForm(clusterFromRun);
      setRerunOf(saved.id);
    },
    run.setActionError,
  );

  const { spec, errors, valid } = useMemo(() => loadSpecFromForm(loadForm, clusterForm), [loadForm, clusterForm]);
  const clusterRunning = cluster.status?.state === 'running';
  const needsCluster = loadForm.target === 'running-cluster' && !clusterRunning;
  const { live, running, pending, record, chartSource, chartVersion } = run;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Load</h1>
        <p className="page-intro">
          Put HTTP load on a cluster of test servers (started for the run, or the standing one below) or on any http:// service, and
          watch each worker: its share of requests, its event loop, its restarts when you break it.
        </p>
      </header>

      <ClusterPanel cluster={cluster} form={clusterForm} onFormChange={setClusterForm} />

      <section className="panel" aria-label="Load">
        <h2>Load</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (valid && !needsCluster) void run.start(spec, rerunOf);
          }}
          noValidate
        >
          <LoadFormView
            form={loadForm}
            errors={errors}
            disabled={running || pending === 'start'}
            clusterRunning={clusterRunning}
            onChange={setLoadForm}
          />
          <div className="actions">
            <RunStopButtons run={run} canRun={valid && !needsCluster} runLabel="Run load" stopLabel="Stop load" />
            <SweepButton spec={spec} page="Cluster" disabled={!valid || needsCluster} />
            <RerunNote rerunOf={rerunOf} onClear={() => setRerunOf(undefined)} />
          </div>
        </form>
        {run.actionError && <ErrorNote error={run.actionError} />}
      </section>

      {live && chartSource && (
        <section className="panel" aria-label="Current run">
          <RunHeading run={run} />
          <RunCharts kind="load" source={chartSource} version={chartVersion} />
          <div className="result-columns">
            <SummaryTable summary={record?.summary ?? live.summary} caption={record ? 'Summary' : 'Live summary'} />
            <EventsList title="Run timeline" events={record?.events ?? live.events} dropped={record ? 0 : live.eventsDropped} />
          </div>
          <RuntimePanel kind="load" source={chartSource} version={chartVersion} />
        </section>
      )}
    </div>
  );
}
