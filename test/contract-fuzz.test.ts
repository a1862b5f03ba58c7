import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Engine } from '../src/main/engine/engine.js';
import { callNames, calls } from '../src/shared/contract.js';
import { errorCatalogue } from '../src/shared/errors.js';

/**
 * Every contract call, fed random and hostile payloads: the engine answers
 * each with an envelope (never a throw), stays up, and writes nothing outside
 * its data directory. Calls whose valid payloads start something slow
 * (a cluster, the embedded database) are still fuzzed: hostile input never
 * gets that far, and anything that does start is stopped by dispose.
 */
const HOSTILE_STRINGS = [
  '..',
  '.',
  '../',
  '../../escape',
  '..\\..\\escape',
  '/etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  '%2e%2e%2f',
  'con',
  'a'.repeat(10_000),
  '\u0000',
  '=cmd|"/C calc"!A0',
  '<script>alert(1)</script>',
  'embedded',
  'postgres://u:p@evil.example:5432/db',
];
const HOSTILE_NUMBERS = [0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 0.1, -0, 1e-300];

const hostileLeaf = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.string({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
);

/** Nested values up to a depth deep enough to stress recursive schemas, plus one pathological depth. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'kind', 'id', 'runId', 'file'), fc.string({ maxLength: 8 })), tie('value'), {
    maxKeys: 4,
  }),
})).value;

function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: [value] };
  return value;
}

/** The request's top-level keys, so payloads also reach past the first check into each field. */
function requestKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (shape) return Object.keys(shape);
  const options = (schema as unknown as { options?: z.ZodType[] }).options;
  return options ? [...new Set(options.flatMap(requestKeys))] : [];
}

function payloadFor(name: (typeof callNames)[number]): fc.Arbitrary<unknown> {
  const keys = requestKeys(calls[name].request);
  const shaped = keys.length
    ? fc.record(Object.fromEntries(keys.map((key) => [key, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  return fc.oneof(shaped, hostileValue, fc.constant(deeplyNested(5_000)));
}

async function tree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

let root: string;
let dataDir: string;
let engine: Engine;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-fuzz-'));
  dataDir = path.join(root, 'sandbox', 'data');
  await fs.mkdir(path.join(root, 'escape'), { recursive: true });
  engine = await Engine.create({ dataDir, workersDir: process.env.TUNEBENCH_WORKERS_DIR!, host: 'test', validateResponses: true });
});
afterAll(async () => {
  await engine?.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

describe('every contract call under random and hostile payloads', () => {
  it('answers with an envelope, keeps running, and writes nothing outside the data directory', async () => {
    const outside = async () => (await tree(root)).filter((entry) => !entry.startsWith(path.join('sandbox', 'data')));
    const before = await outside();
    for (const name of callNames) {
      await fc.assert(
        fc.asyncProperty(payloadFor(name), async (payload) => {
          const envelope = await engine.dispatch(name, payload);
          expect(typeof envelope.ok).toBe('boolean');
          if (!envelope.ok) {
            expect(Object.keys(errorCatalogue)).toContain(envelope.error.code);
            expect(typeof envelope.error.message).toBe('string');
            // Internal errors are bugs: hostile input must be refused by name, not fall through.
            expect(envelope.error.code, `${name}: ${envelope.error.message}`).not.toBe('TB_INTERNAL');
          }
        }),
        { numRuns: 40, seed: 20261206 },
      );
    }
    // Unknown names, prototype keys and non-string names too.
    for (const name of ['__proto__', 'constructor', 'toString', 'runs.list.__proto__', 42, null, { toString: () => 'runs.list' }]) {
      const envelope = await engine.dispatch(name, {});
      expect(envelope.ok).toBe(false);
    }
    await engine.runs.stopAll();
    expect(await outside()).toEqual(before);
    expect((await engine.dispatch('app.info', {})).ok).toBe(true);
  });
});
