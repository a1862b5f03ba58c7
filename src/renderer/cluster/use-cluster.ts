import { useCallback, useEffect, useState } from 'react';
import type { RunEvent } from '../../shared/metrics.js';
import type { ClusterStatus } from '../../shared/specs/cluster.js';
import { useConnectionEpoch, useServices } from '../app/services.js';
import { useCall } from '../app/use-call.js';

/** Events kept for the timeline; a crash-looping cluster must not grow the page without bound. */
const EVENTS_KEPT = 200;

/**
 * The standing cluster's timeline as this window saw it, kept outside React
 * so a visit to another page does not lose it. Times count from the
 * cluster's start.
 */
interface Timeline {
  /** The supervisor the events belong to; a new one starts a new timeline. */
  supervisorPid: number | undefined;
  /** Wall-clock start of the cluster (ms). */
  since: number;
  /** A start is under way: its events belong to the cluster about to report its pid. */
  starting: boolean;
  events: RunEvent[];
  dropped: number;
}

let timeline: Timeline = { supervisorPid: undefined, since: Date.now(), starting: false, events: [], dropped: 0 };

function followStatus(status: ClusterStatus): void {
  if (status.state === 'starting' && !timeline.starting) {
    timeline = { supervisorPid: undefined, since: Date.now(), starting: true, events: [], dropped: 0 };
  } else if (status.state === 'running' && status.supervisorPid !== timeline.supervisorPid) {
    if (timeline.starting) {
      timeline = { ...timeline, supervisorPid: status.supervisorPid, starting: false };
    } else {
      // A cluster started before this window looked: its oldest worker tells roughly when.
      const oldest = Math.max(0, ...status.workers.map((worker) => worker.uptimeMs));
      timeline = { supervisorPid: status.supervisorPid, since: Date.now() - oldest, starting: false, events: [], dropped: 0 };
    }
  }
}

export interface ClusterView {
  status: ClusterStatus | undefined;
  /** The cluster's events, t in ms since it started. */
  events: RunEvent[];
  /** When it started (epoch ms): the timeline reads on the clock, like a run's. */
  since: number;
  eventsDropped: number;
  error: { code?: string; message: string } | undefined;
  /** Takes a status a call returned (start, stop), which may come before the stream's. */
  accept(status: ClusterStatus): void;
}

/** The standing cluster, live: its status (about once a second) and its events. */
export function useCluster(): ClusterView {
  const { client } = useServices();
  const epoch = useConnectionEpoch();
  // Asked when the page opens and after a reconnection; the stream says every change after that.
  const asked = useCall('cluster.status', {});
  /** The latest status the stream (or a start or stop) gave, on this connection: one from before a reconnection may be stale. */
  const [told, setTold] = useState<{ status: ClusterStatus; epoch: number }>();
  const [, setEventCount] = useState(0);

  const accept = useCallback(
    (next: ClusterStatus) => {
      followStatus(next);
      setTold({ status: next, epoch });
    },
    [epoch],
  );

  useEffect(() => {
    if (asked.data) followStatus(asked.data);
  }, [asked.data]);

  useEffect(() => {
    const disposeStatus = client.on('cluster.status', accept);
    const disposeEvents = client.on('cluster.event', (event) => {
      if (timeline.events.length >= EVENTS_KEPT) {
        timeline.events.shift();
        timeline.dropped += 1;
      }
      const { type, message, at, slot, data } = event;
      timeline.events.push({ t: Math.max(0, at - timeline.since), type, message, data: { ...data, ...(slot !== undefined ? { slot } : {}) } });
      setEventCount((count) => count + 1);
    });
    return () => {
      disposeStatus();
      disposeEvents();
    };
  }, [client, accept]);

  const status = told?.epoch === epoch ? told.status : asked.data;
  return { status, events: timeline.events, eventsDropped: timeline.dropped, since: timeline.since, error: asked.error, accept };
}
