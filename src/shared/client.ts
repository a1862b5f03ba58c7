/**
 * The typed client over a host's bridge. It needs the contract's types only,
 * not its schemas: the renderer's shell imports it without evaluating zod
 * and every schema at start-up.
 */
import type { TunebenchBridge, TunebenchClient } from './contract.js';
import { TunebenchError } from './errors.js';

export function createClient(bridge: TunebenchBridge): TunebenchClient {
  return {
    async call(name, request) {
      const envelope = await bridge.call(name, request);
      if (!envelope.ok) throw TunebenchError.fromPayload(envelope.error);
      return envelope.value as never;
    },
    on(stream, listener) {
      return bridge.subscribe(stream, (payload) => listener(payload as never));
    },
  };
}
