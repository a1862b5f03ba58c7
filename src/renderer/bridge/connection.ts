import type { Disposer } from '../../shared/contract.js';

export type ConnectionState = 'connecting' | 'open' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** When disconnected: when the next attempt starts (epoch ms). */
  retryAt?: number;
  /** Why the last connection ended, in words a user can act on. */
  reason?: string;
}

/**
 * How the shell learns whether the host is reachable, without knowing which
 * host it is: the WebSocket bridge reports real state, Electron's IPC is
 * always open.
 */
export interface HostConnection {
  readonly status: ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): Disposer;
}

export const alwaysOpenConnection: HostConnection = {
  status: { state: 'open' },
  onStatus: () => () => {},
};
