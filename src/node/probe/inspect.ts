/**
 * Looking inside the current thread: heap snapshot, CPU profile, sampling
 * heap profile, forced GC. Runs in the probed process itself (through the
 * inspector protocol on an in-process Session), so any process that loads
 * the probe can be inspected without opening a debugging port.
 */
import { promises as fs } from 'node:fs';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import type { ProbeCommand } from '../../shared/runtime.js';

const MAX_PROFILE_SECONDS = 300;

function checkSeconds(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_PROFILE_SECONDS) {
    throw new RangeError(`seconds must be more than 0 and at most ${MAX_PROFILE_SECONDS}, got ${String(seconds)}`);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one thing a profile needs from an inspector session: send a protocol
 * command, get its result. An in-process Session here; the WebSocket session
 * of a process the engine attached to (engine/runtime/attach.ts) there.
 */
export type InspectorPost = (method: string, params?: Record<string, unknown>) => Promise<unknown>;

async function withSession<T>(use: (post: InspectorPost) => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    return await use(session.post.bind(session) as InspectorPost);
  } finally {
    session.disconnect();
  }
}

export async function writeJson(file: string, value: unknown): Promise<number> {
  const text = JSON.stringify(value);
  await fs.writeFile(file, text);
  return Buffer.byteLength(text);
}

/** Records a CPU profile for `seconds` through an inspector session and returns it (a .cpuprofile's JSON). */
export async function recordCpuProfile(post: InspectorPost, seconds: number): Promise<unknown> {
  checkSeconds(seconds);
  await post('Profiler.enable');
  await post('Profiler.start');
  await sleep(seconds * 1_000);
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  await post('Profiler.disable');
  return profile;
}

/** Records a sampling heap profile for `seconds` through an inspector session and returns it (a .heapprofile's JSON). */
export async function recordAllocationProfile(post: InspectorPost, seconds: number): Promise<unknown> {
  checkSeconds(seconds);
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 32_768 });
  await sleep(seconds * 1_000);
  const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
  await post('HeapProfiler.disable');
  return profile;
}

/** Runs one inspection command; resolves with the bytes written (0 for gc). */
export async function runInspectCommand(request: ProbeCommand): Promise<number> {
  switch (request.command) {
    case 'heapSnapshot': {
      // Synchronous and pausing by nature: V8 walks the whole heap.
      const file = v8.writeHeapSnapshot(request.file);
      return (await fs.stat(file)).size;
    }
    case 'cpuProfile': {
      checkSeconds(request.seconds);
      return withSession(async (post) => writeJson(request.file, await recordCpuProfile(post, request.seconds)));
    }
    case 'allocationProfile': {
      checkSeconds(request.seconds);
      return withSession(async (post) => writeJson(request.file, await recordAllocationProfile(post, request.seconds)));
    }
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (typeof gc !== 'function') throw new Error('this process does not allow forced GC (start it with --expose-gc)');
      gc();
      return 0;
    }
  }
}
