import { useState } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import type { PlanNode } from '../../shared/query-plan.js';
import type { RecordTable } from '../../shared/run-record.js';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { formatNumber } from '../format.js';

type Explained = CallResponse<'db.explain'>;

/** The busiest statements offered for a plan. */
const TOP_STATEMENTS = 5;

interface Statement {
  hash: string;
  query: string;
  totalMs: number;
  calls: number;
}

/** The run's statements by total time, busiest first, from its query statistics. */
export function topStatements(table: RecordTable | undefined, count = TOP_STATEMENTS): Statement[] {
  if (!table) return [];
  const at = (name: string) => table.columns.indexOf(name);
  const [hash, query, total, calls] = [at('hash'), at('query'), at('total ms'), at('calls')];
  if (hash < 0 || query < 0) return [];
  return table.rows
    .map((row) => ({ hash: String(row[hash]), query: String(row[query]), totalMs: Number(row[total] ?? 0), calls: Number(row[calls] ?? 0) }))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, count);
}

/**
 * Query plans of a saved db run's busiest statements: EXPLAIN (ANALYZE,
 * BUFFERS) on the embedded server, EXPLAIN on a user's (db.explain), drawn as
 * a tree with the costliest node marked.
 */
export function QueryPlans({ runId, queryStats }: { runId: string; queryStats: RecordTable | undefined }) {
  const { client } = useServices();
  const statements = topStatements(queryStats);
  const [shown, setShown] = useState<Explained>();
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<{ code?: string; message: string }>();
  if (!statements.length) return null;

  const explain = async (hash: string) => {
    setBusy(hash);
    setProblem(undefined);
    try {
      setShown(await client.call('db.explain', { runId, hash }));
    } catch (thrown) {
      setProblem(errorOf(thrown));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="record-table query-plans" aria-label="Query plans">
      <h3>Query plans</h3>
      <p className="muted">
        The busiest statements by total time. On the embedded server a plan is EXPLAIN (ANALYZE, BUFFERS), run with values like the
        workload's in a transaction that is rolled back; on your own server only EXPLAIN, nothing runs.
      </p>
      <table className="data-table" aria-label="Statements to plan">
        <thead>
          <tr>
            <th scope="col">Statement</th>
            <th scope="col" className="num">
              Calls
            </th>
            <th scope="col" className="num">
              Total ms
            </th>
            <th scope="col">
              <span className="visually-hidden">Plan</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {statements.map((statement) => (
            <tr key={statement.hash} aria-selected={shown?.hash === statement.hash}>
              <td className="query-text">{statement.query}</td>
              <td className="num">{formatNumber(statement.calls)}</td>
              <td className="num">{formatNumber(statement.totalMs)}</td>
              <td>
                <button type="button" onClick={() => void explain(statement.hash)} disabled={busy !== undefined}>
                  {busy === statement.hash ? 'Planning…' : 'Show plan'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problem && <ErrorNote error={problem} title="Could not get the plan" />}
      {shown && <PlanView explained={shown} />}
    </section>
  );
}

function PlanView({ explained }: { explained: Explained }) {
  const { plan } = explained;
  const timing = [
    plan.planningMs !== undefined ? `planning ${formatNumber(plan.planningMs)} ms` : undefined,
    plan.executionMs !== undefined ? `execution ${formatNumber(plan.executionMs)} ms` : undefined,
  ].filter(Boolean);
  return (
    <div className="plan-view">
      <p className="plan-caption">
        <strong>{explained.command}</strong> on {explained.target}
        {explained.role ? ` as ${explained.role}` : ''}
        {explained.values.length > 0 && <> with {explained.values.join(', ')}</>}
        {timing.length > 0 && <span className="muted"> — {timing.join(', ')}</span>}
      </p>
      <code className="plan-statement">{explained.statement}</code>
      <ul className="plan-tree" aria-label="Query plan">
        <PlanNodeView node={plan.root} costliestId={plan.costliest.id} by={plan.costliest.by} total={rootWeight(plan.root, plan.analyzed)} />
      </ul>
    </div>
  );
}

function rootWeight(root: PlanNode, analyzed: boolean): number {
  return analyzed ? (root.totalMs ?? 0) : root.totalCost;
}

function PlanNodeView({ node, costliestId, by, total }: { node: PlanNode; costliestId: number; by: 'self time' | 'self cost'; total: number }) {
  const costliest = node.id === costliestId;
  const own = by === 'self time' ? (node.selfMs ?? 0) : node.selfCost;
  const share = total > 0 ? (own / total) * 100 : 0;
  const facts: string[] = [];
  facts.push(
    node.actualRows !== undefined
      ? `rows ${formatNumber(node.planRows)} est. / ${formatNumber(node.actualRows)} actual${node.actualLoops && node.actualLoops > 1 ? ` × ${formatNumber(node.actualLoops)} loops` : ''}`
      : `rows ${formatNumber(node.planRows)} est.`,
  );
  if (node.totalMs !== undefined) facts.push(`${formatNumber(node.totalMs)} ms (own ${formatNumber(node.selfMs ?? 0)} ms)`);
  facts.push(`cost ${formatNumber(node.totalCost)} (own ${formatNumber(node.selfCost)})`);
  if (node.buffers) {
    const { sharedHit, sharedRead, sharedDirtied, sharedWritten, tempRead, tempWritten } = node.buffers;
    const parts = [`hit ${formatNumber(sharedHit)}`, `read ${formatNumber(sharedRead)}`];
    if (sharedDirtied) parts.push(`dirtied ${formatNumber(sharedDirtied)}`);
    if (sharedWritten) parts.push(`written ${formatNumber(sharedWritten)}`);
    if (tempRead || tempWritten) parts.push(`temp ${formatNumber(tempRead + tempWritten)}`);
    facts.push(`buffers ${parts.join(', ')}`);
  }
  return (
    <li className={costliest ? 'plan-node plan-node-costliest' : 'plan-node'} aria-label={`${node.nodeType}${costliest ? ', costliest' : ''}`}>
      <div className="plan-node-box">
        <div className="plan-node-head">
          <strong>{node.nodeType}</strong>
          {node.relation && (
            <span>
              {' '}
              on <code>{node.relation}</code>
              {node.alias && node.alias !== node.relation ? ` ${node.alias}` : ''}
            </span>
          )}
          {node.index && (
            <span>
              {' '}
              using <code>{node.index}</code>
            </span>
          )}
          {node.parentRelationship && node.parentRelationship !== 'Outer' && <span className="muted"> ({node.parentRelationship})</span>}
          {costliest && (
            <span className="plan-costliest-badge">
              costliest: {formatNumber(share)}% of the {by === 'self time' ? 'time' : 'cost'}
            </span>
          )}
        </div>
        <div className="plan-node-facts">{facts.join(' · ')}</div>
        {node.details.length > 0 && (
          <dl className="plan-node-details">
            {node.details.map((detail) => (
              <div key={detail.label}>
                <dt>{detail.label}</dt>
                <dd>{detail.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <PlanNodeView key={child.id} node={child} costliestId={costliestId} by={by} total={total} />
          ))}
        </ul>
      )}
    </li>
  );
}
