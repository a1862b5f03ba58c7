/**
 * Attaching to a Node.js process Tunebench did not start (a service started
 * elsewhere): what `attach.list` says about each local Node process, and what
 * `attach.open` / `attach.close` answer. Plain data only.
 */
import { z } from 'zod';

/** Linux pids go up to 2^22 (pid_max's ceiling). */
export const MAX_PID = 4_194_304;
export const PidSchema = z.number().int().min(1).max(MAX_PID);

/**
 * What is known of a process's inspector: open (a listener on its inspector
 * port), closed, attached (by this workbench), or unknown (its sockets cannot
 * be read, or it asked for a random inspector port).
 */
export const InspectorStateSchema = z.enum(['closed', 'open', 'attached', 'unknown']);
export type InspectorState = z.infer<typeof InspectorStateSchema>;

export const AttachableProcessSchema = z.object({
  pid: z.number(),
  /** Its command line, shortened for display. */
  command: z.string(),
  user: z.string(),
  uid: z.number(),
  inspector: InspectorStateSchema,
  inspectorPort: z.number().optional(),
  /** Known when it runs the workbench's own Node.js or once attached. */
  nodeVersion: z.string().optional(),
  /** Whether attach.open may be asked for it; when not, why (another user's process). */
  attachable: z.boolean(),
  reason: z.string().optional(),
  /** While attached: its id among runtime.processes. */
  processId: z.string().optional(),
});
export type AttachableProcess = z.infer<typeof AttachableProcessSchema>;

export const AttachListSchema = z.object({
  processes: z.array(AttachableProcessSchema),
  /** The user the workbench runs as: only that user's processes can be attached. */
  user: z.string(),
  uid: z.number(),
});

export const AttachOpenSchema = z.object({
  pid: z.number(),
  /** Its id among runtime.processes: snapshots and profiles go through runtime.* with it. */
  processId: z.string(),
  label: z.string(),
  port: z.number(),
  /** The inspector was open before attaching; detaching leaves it open. */
  inspectorWasOpen: z.boolean(),
  nodeVersion: z.string().optional(),
});

export const AttachCloseSchema = z.object({
  pid: z.number(),
  /** Whether the process still runs after detaching (it should: detaching never stops it). */
  running: z.boolean(),
  /** closed: the inspector Tunebench opened is closed again; left-open: it was open before attaching. */
  inspector: z.enum(['closed', 'left-open', 'gone']),
});
