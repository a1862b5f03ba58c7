/**
 * The memory sandbox as a child of the engine: a ManagedChild on the user's
 * Node runtime, registered with the engine's ChildRegistry (so it is listed,
 * and stopped with its whole process group when the engine quits). The memory
 * kind runs scenarios in one; the phase trace starts one of its own.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../../../shared/errors.js';
import { ProbeBatchSchema, ProbeReplySchema } from '../../../../shared/runtime.js';
import type { ProbeCommandMessage } from '../../../../shared/runtime.js';
import { SandboxMessageSchema } from '../../../../shared/specs/memory.js';
import type { SandboxMessage, SandboxStart } from '../../../../shared/specs/memory.js';
import type { ChildRegistry } from '../../processes/child-registry.js';
import type { ManagedChild } from '../../processes/managed-child.js';
import type { NodeRuntime } from '../../processes/node-runtime.js';
import type { LinkChannel } from '../../runtime/probe-link.js';

export const SANDBOX_ENTRY = 'memory-sandbox.js';
const READY_TIMEOUT_MS = 15_000;
/** After `sandbox.stop`, how long the sandbox gets to send its last probe batch and exit before its group is killed. */
export const SANDBOX_STOP_GRACE_MS = 2_000;

/** Everything a sandbox sends: its own messages and its probe's batches and replies. */
const SandboxInboundSchema = z.union([SandboxMessageSchema, ProbeBatchSchema, ProbeReplySchema]);
export type SandboxInbound = z.infer<typeof SandboxInboundSchema>;
export type SandboxCommand = SandboxStart | { type: 'sandbox.stop' } | { type: 'sandbox.trace' } | ProbeCommandMessage;
export type SandboxChild = ManagedChild<SandboxInbound, SandboxCommand>;

/** The built sandbox entry, or a clear error when the build is missing. */
export function sandboxEntry(workersDir: string): string {
  const modulePath = path.join(workersDir, SANDBOX_ENTRY);
  if (!existsSync(modulePath)) {
    throw new TunebenchError('TB_NOT_BUILT', { file: modulePath });
  }
  return modulePath;
}

export interface SandboxOptions {
  /** Shown in the registry and in errors; default "memory sandbox". */
  name?: string;
  execArgv?: string[];
  env?: Record<string, string>;
}

/** Starts a sandbox; its `ready` resolves with the sandbox's ready message (pid, Node.js version). */
export function spawnSandbox(children: ChildRegistry, workersDir: string, runtime: NodeRuntime, options: SandboxOptions = {}): SandboxChild {
  return children.spawn<SandboxInbound, SandboxCommand>({
    name: options.name ?? 'memory sandbox',
    command: runtime.command,
    args: [...(options.execArgv ?? []), sandboxEntry(workersDir)],
    ...(options.env ? { env: options.env } : {}),
    inbound: SandboxInboundSchema,
    isReady: (message) => message.type === 'sandbox.ready',
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
}

/** Asks the sandbox to stop (it sends its last probe batch and exits), killing its group after the grace; resolves once it has closed. */
export async function stopSandbox(sandbox: SandboxChild): Promise<void> {
  await sandbox.stop(SANDBOX_STOP_GRACE_MS, { type: 'sandbox.stop' });
}

/** The sandbox's own messages (not the probe's). */
export function sandboxMessage(message: SandboxInbound): SandboxMessage | undefined {
  return message.type.startsWith('sandbox.') ? (message as SandboxMessage) : undefined;
}

/** The sandbox's channel for a ProbeLink (probe batches in, inspection commands out). */
export function sandboxLink(sandbox: SandboxChild): LinkChannel {
  return {
    send: (message) => sandbox.send(message as SandboxCommand),
    onMessage: (listener) => sandbox.onMessage(listener),
  };
}
