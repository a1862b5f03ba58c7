/**
 * The live tail of a service's output (the service.log stream): a service
 * started by hand on the Services page, or the instance a load run started.
 * Only the latest lines are kept; the whole log is the run's artifact.
 */
import { useEffect, useRef, useState } from 'react';
import type { ServiceLogLine } from '../../shared/specs/services.js';
import { useServices } from '../app/services.js';
import './services.css';

const LINES_KEPT = 300;

/** Lines of one service (and, for a run's instance, one run), from `initial` on as they arrive. */
export function useServiceLog(name: string | undefined, runId: string | undefined, initial: readonly ServiceLogLine[] = []): ServiceLogLine[] {
  const { client } = useServices();
  const [state, setState] = useState<{ key: string; lines: ServiceLogLine[] }>({ key: '', lines: [] });
  const key = `${name ?? ''}\u0000${runId ?? ''}`;
  useEffect(() => {
    if (!name) return;
    return client.on('service.log', (payload) => {
      if (payload.name !== name || (runId !== undefined && payload.runId !== runId) || (runId === undefined && payload.runId !== undefined)) return;
      setState((previous) => {
        const lines = previous.key === key ? previous.lines : [];
        return { key, lines: [...lines, ...payload.lines].slice(-LINES_KEPT) };
      });
    });
  }, [client, name, runId, key]);
  const live = state.key === key ? state.lines : [];
  if (!initial.length) return live;
  // What was there before the page listened, then what came since (by time, so nothing shows twice).
  const since = live[0]?.at ?? Number.POSITIVE_INFINITY;
  return [...initial.filter((line) => line.at < since), ...live].slice(-LINES_KEPT);
}

export function ServiceLogTail({ lines, label, empty = 'No output yet.' }: { lines: readonly ServiceLogLine[]; label: string; empty?: string }) {
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = box.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [lines]);
  return (
    <pre
      ref={box}
      className="service-log"
      aria-label={label}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        // Reading older lines stops the tail from jumping; scrolling back down resumes it.
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {lines.length
        ? lines.map((line, index) => (
            <span key={`${line.at}-${index}`} className={line.stream === 'stderr' ? 'service-log-stderr' : undefined}>
              {line.line}
              {'\n'}
            </span>
          ))
        : empty}
    </pre>
  );
}

/** The output of the service a load run started: live from the stream while it runs, from the record's table after. */
export function ServiceRunLog({ runId, savedRows }: { runId: string | undefined; savedRows?: ReadonlyArray<ReadonlyArray<string | number>> | undefined }) {
  const { client } = useServices();
  const [state, setState] = useState<{ runId: string | undefined; name: string; lines: ServiceLogLine[] }>({ runId: undefined, name: '', lines: [] });
  useEffect(() => {
    if (!runId) return;
    return client.on('service.log', (payload) => {
      if (payload.runId !== runId) return;
      setState((previous) => ({
        runId,
        name: payload.name,
        lines: [...(previous.runId === runId ? previous.lines : []), ...payload.lines].slice(-LINES_KEPT),
      }));
    });
  }, [client, runId]);
  const live = state.runId === runId ? state.lines : [];
  const saved: ServiceLogLine[] | undefined = savedRows?.map((row) => ({
    at: Date.parse(String(row[0])),
    stream: row[1] === 'stderr' ? 'stderr' : 'stdout',
    line: String(row[2] ?? ''),
  }));
  const lines = saved ?? live;
  if (!runId || !lines.length) return null;
  return (
    <div>
      <h3>Service output{state.name ? `: ${state.name}` : ''}</h3>
      <ServiceLogTail lines={lines} label="Service output" />
    </div>
  );
}
