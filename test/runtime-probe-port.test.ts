import { MessageChannel } from 'node:worker_threads';
import { afterEach, expect, test } from 'vitest';
import { ProbeLink, threadChannel } from '../src/main/engine/runtime/probe-link.js';
import type { ProbeBatch } from '../src/shared/runtime.js';
import { startProbe } from '../src/node/probe/probe.js';
import { portChannel, serveProbe } from '../src/node/probe/serve.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** Allocates (so minor GCs happen) until `done` says so, or 10 s at most: on a busy machine timers fire late. */
async function churnUntil(done: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  let keep: number[][] = [];
  while (!done() && Date.now() < until) {
    for (let i = 0; i < 2_000; i++) keep.push(new Array(64).fill(i));
    keep = [];
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('the probe samples its thread over a MessagePort in batches and answers commands', async () => {
  const { port1, port2 } = new MessageChannel();
  const batches: ProbeBatch[] = [];
  const stopProbe = serveProbe(portChannel(port1), { intervalMs: 100, batchMs: 300 });
  const link = new ProbeLink(threadChannel(port2), (batch) => batches.push(batch));
  cleanups.push(stopProbe, () => link.dispose(), () => port1.close());
  const sampleCount = () => batches.reduce((sum, batch) => sum + batch.samples.length, 0);
  await churnUntil(() => sampleCount() >= 8 && batches.length >= 2);
  // Forced GC is refused in a process started without --expose-gc, with the reason.
  await expect(link.command({ command: 'gc' }, 5_000)).rejects.toThrow(/--expose-gc/);
  expect(batches.length).toBeGreaterThanOrEqual(2);
  const samples = batches.flatMap((batch) => batch.samples);
  expect(samples.length).toBeGreaterThanOrEqual(8);
  // Batched: about three 100 ms samples per 300 ms batch, not one message per sample.
  expect(batches.length).toBeLessThanOrEqual(Math.ceil(samples.length / 2));
  const sample = samples.at(-1)!;
  expect(sample.heapUsed).toBeGreaterThan(0);
  expect(sample.spaces.old).toBeGreaterThan(0);
  expect(sample.elu).toBeGreaterThan(0);
  expect(batches.flatMap((batch) => batch.gc).some((event) => event.kind === 'minor')).toBe(true);
  expect(batches.map((batch) => batch.seq)).toEqual(batches.map((_, index) => index));
});

test('a slow channel makes the probe drop and count, never queue without bound', async () => {
  const sent: ProbeBatch[] = [];
  let release: () => void = () => {};
  const stopProbe = startProbe({
    intervalMs: 100,
    batchMs: 100,
    maxBufferedSamples: 3,
    // The first send never completes until released: the channel is stuck.
    send: (batch) => {
      sent.push(batch);
      return new Promise<void>((resolve) => (release = resolve));
    },
  });
  cleanups.push(stopProbe);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(sent).toHaveLength(1);
  release();
  await new Promise((resolve) => setTimeout(resolve, 250));
  const latest = sent.at(-1)!;
  expect(latest.samples.length).toBeLessThanOrEqual(3);
  expect(latest.dropped.samples).toBeGreaterThan(0);
});

test('probe options outside their range are refused by name', () => {
  expect(() => startProbe({ intervalMs: 10, send: () => {} })).toThrow(/intervalMs must be a number from 100/);
  expect(() => startProbe({ send: undefined as never })).toThrow(/send must be a function/);
});
