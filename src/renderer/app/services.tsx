import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { TunebenchClient } from '../../shared/contract.js';
import type { ConnectionStatus, HostConnection } from '../bridge/connection.js';
import type { LiveRunsStore } from '../runs/live-runs.js';

/** What every page gets: the contract client, the live runs, and whether the host is reachable. */
export interface Services {
  client: TunebenchClient;
  liveRuns: LiveRunsStore;
  connection: HostConnection;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices must be used inside <ServicesProvider>');
  return services;
}

/** Re-renders the caller when live runs change (throttled by the store). */
export function useLiveRunsVersion(): number {
  const { liveRuns } = useServices();
  return useSyncExternalStore(
    (listener) => liveRuns.subscribe(listener),
    () => liveRuns.version,
  );
}

export function useConnectionStatus(): ConnectionStatus {
  const { connection } = useServices();
  const subscribe = useCallback((listener: () => void) => connection.onStatus(() => listener()), [connection]);
  return useSyncExternalStore(subscribe, () => connection.status);
}

/** Counts reconnections, so data loaded over the old connection can be fetched again. */
export function useConnectionEpoch(): number {
  const { connection } = useServices();
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    let wasOpen = connection.status.state === 'open';
    return connection.onStatus((status) => {
      const isOpen = status.state === 'open';
      if (isOpen && !wasOpen) setEpoch((value) => value + 1);
      wasOpen = isOpen;
    });
  }, [connection]);
  return epoch;
}
