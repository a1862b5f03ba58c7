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

async function withSession<T>(use: (session: Session) => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    return await use(session);
  } finally {
    session.disconnect();
  }
}

async function writeJson(file: string, value: unknown): Promise<number> {
  const text = JSON.stringify(value);
  await fs.writeFile(file, text);
  return Buffer.byteLength(text);
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
      return withSession(async (session) => {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        await sleep(request.seconds * 1_000);
        const { profile } = await session.post('Profiler.stop');
        await session.post('Profiler.disable');
        return writeJson(request.file, profile);
      });
    }
    case 'allocationProfile': {
      checkSeconds(request.seconds);
      return withSession(async (session) => {
        await session.post('HeapProfiler.enable');
        await session.post('HeapProfiler.startSampling', { samplingInterval: 32_768 });
        await sleep(request.seconds * 1_000);
        const { profile } = await session.post('HeapProfiler.stopSampling');
        await session.post('HeapProfiler.disable');
        return writeJson(request.file, profile);
      });
    }
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (typeof gc !== 'function') throw new Error('this process does not allow forced GC (start it with --expose-gc)');
      gc();
      return 0;
    }
  }
}
