/**
 * The renderer's one way to read from the engine: a contract call whose answer
 * becomes state. It calls again when the request changes (compared by value,
 * so a request written inline is fine), when `reload()` is called, when
 * `refreshOn` changes, every `refreshMs` if asked, and when the connection to
 * the host comes back. An answer that arrives after the page unmounted, or
 * after the request changed, is dropped: it can never overwrite newer state.
 */
import { startTransition, useCallback, useEffect, useState } from 'react';
import type { CallName, CallRequest, CallResponse } from '../../shared/contract.js';
import { errorOf } from '../components/ErrorNote.js';
import { useConnectionEpoch, useServices } from './services.js';

export type Problem = { code?: string; message: string };

export interface CallState<T> {
  /** The latest answer to this request (kept while it is asked again, and when asking again fails). */
  data: T | undefined;
  /** Why the latest call for this request failed. */
  error: Problem | undefined;
  /** A call for this request is under way. */
  loading: boolean;
  /** Calls again, keeping the answer shown until the new one arrives. */
  reload: () => void;
}

export interface CallOptions {
  /** Any value; the call is made again whenever it changes (a new report that may have changed what this reads, say). */
  refreshOn?: unknown;
  /** Calls again this often (ms) while mounted. */
  refreshMs?: number;
  /** While the answer to a new request is on its way, keep showing the previous request's (no "Loading…" flash). */
  keepPrevious?: boolean;
  /** Set the answer in a transition, so a big one renders in slices, not in one long task. */
  transition?: boolean;
}

/** One call as made: what was asked, and each reason it was asked again. */
interface Attempt {
  name: CallName;
  json: string;
  epoch: number;
  reloads: number;
  ticks: number;
  refreshOn: unknown;
}

interface Settled {
  attempt: Attempt;
  data: unknown;
  error: Problem | undefined;
}

const sameRequest = (a: Attempt, name: CallName, json: string | undefined) => a.name === name && a.json === json;

/** `request` undefined: nothing to ask yet (no run picked, say); the state is empty and not loading. */
export function useCall<N extends CallName>(name: N, request: CallRequest<N> | undefined, options: CallOptions = {}): CallState<CallResponse<N>> {
  const { client } = useServices();
  const epoch = useConnectionEpoch();
  const [reloads, setReloads] = useState(0);
  const [ticks, setTicks] = useState(0);
  const [settled, setSettled] = useState<Settled>();
  const { refreshOn, refreshMs, keepPrevious = false, transition = false } = options;
  // The request's value is its identity: a new object with the same contents asks nothing new.
  const json = request === undefined ? undefined : JSON.stringify(request);

  useEffect(() => {
    if (json === undefined) return;
    let current = true;
    const attempt: Attempt = { name, json, epoch, reloads, ticks, refreshOn };
    const settle = (update: (previous: Settled | undefined) => Settled) => {
      if (!current) return;
      if (transition) startTransition(() => setSettled(update));
      else setSettled(update);
    };
    client.call(name, JSON.parse(json) as CallRequest<N>).then(
      (data) => settle(() => ({ attempt, data, error: undefined })),
      (thrown: unknown) =>
        settle((previous) => ({
          attempt,
          // A failed call again for the same request keeps what was shown; a failed new request shows nothing old.
          data: previous && sameRequest(previous.attempt, name, json) ? previous.data : undefined,
          error: errorOf(thrown),
        })),
    );
    return () => {
      current = false;
    };
  }, [client, name, json, epoch, reloads, ticks, refreshOn, transition]);

  useEffect(() => {
    if (!refreshMs || json === undefined) return;
    const timer = setInterval(() => setTicks((count) => count + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, json]);

  const reload = useCallback(() => setReloads((count) => count + 1), []);

  if (json === undefined) return { data: undefined, error: undefined, loading: false, reload };
  const answered = settled !== undefined && sameRequest(settled.attempt, name, json);
  const fresh =
    answered &&
    settled.attempt.epoch === epoch &&
    settled.attempt.reloads === reloads &&
    settled.attempt.ticks === ticks &&
    Object.is(settled.attempt.refreshOn, refreshOn);
  return {
    data: (answered || keepPrevious ? settled?.data : undefined) as CallResponse<N> | undefined,
    error: answered ? settled.error : undefined,
    loading: !fresh,
    reload,
  };
}
