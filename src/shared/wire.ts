/**
 * The web host's WebSocket framing of the contract. The socket carries the
 * same calls and streams as Electron's IPC; only the envelope differs.
 */
import { z } from 'zod';
import type { Envelope } from './contract.js';
import type { ErrorPayload } from './errors.js';

export { TOKEN_PARAM, WEB_SOCKET_PATH } from './wire-address.js';

export const WireClientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(200),
  payload: z.unknown(),
});
export type WireClientMessage = z.infer<typeof WireClientMessageSchema>;

export type WireServerMessage =
  | { type: 'result'; id: number; envelope: Envelope }
  | { type: 'stream'; stream: string; payload: unknown }
  /** A message that could not be read at all (not JSON, no id). */
  | { type: 'error'; error: ErrorPayload };
