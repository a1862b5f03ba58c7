import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf, UsageError } from '../src/main/cli-core.js';
import { readDesktopSettings } from '../src/main/desktop/settings.js';
import { WebHost } from '../src/main/web/server.js';
import type { Engine } from '../src/main/engine/engine.js';
import { poolFactory, spin } from './fixtures/pools.js';
import { errorCatalogue, isErrorCode, toErrorPayload, TunebenchError, type ErrorCode } from '../src/shared/errors.js';

/**
 * The error catalogue: every code documents itself, has a message template of
 * its own, a CLI exit class and an HTTP status, and the CLI reads its exit
 * code from there.
 */
const entries = Object.entries(errorCatalogue) as [ErrorCode, (typeof errorCatalogue)[ErrorCode]][];

/**
 * Templates that are placeholders and punctuation only: TB_SCHEMA_INVALID
 * names the object or file and carries the schema's own list of problems.
 * Every other template says in words of its own what happened.
 */
const WORDLESS_ALLOWED = new Set<string>(['TB_SCHEMA_INVALID']);

describe('error catalogue', () => {
  it.each(entries)('%s has a doc, a template, an exit class and an HTTP status', (_code, entry) => {
    expect(entry.doc.length).toBeGreaterThan(20);
    expect(entry.template.length).toBeGreaterThan(0);
    expect(['input', 'failed']).toContain(entry.exit);
    expect([400, 401, 403, 404, 405, 409, 413, 500, 502, 503]).toContain(entry.http);
  });

  it('gives no two codes the same template', () => {
    const byTemplate = new Map<string, string[]>();
    for (const [code, entry] of entries) byTemplate.set(entry.template, [...(byTemplate.get(entry.template) ?? []), code]);
    expect([...byTemplate.values()].filter((codes) => codes.length > 1)).toEqual([]);
  });

  it('has no template that is only {detail}, nor only placeholders, except the listed one', () => {
    expect(entries.filter(([, entry]) => entry.template.trim() === '{detail}').map(([code]) => code)).toEqual([]);
    const wordless = entries.filter(([, entry]) => !/[A-Za-z]/.test(entry.template.replace(/\{\w+\}/g, ''))).map(([code]) => code);
    expect(wordless).toEqual([...WORDLESS_ALLOWED]);
  });

  it('names codes only by its own keys', () => {
    expect(isErrorCode('TB_INTERNAL')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', 'TB_NOPE', 42]) expect(isErrorCode(name)).toBe(false);
    expect(toErrorPayload({ code: 'toString', message: 'x' }).code).toBe('TB_INTERNAL');
    expect(TunebenchError.fromPayload({ code: 'hasOwnProperty' as ErrorCode, message: 'x' }).code).toBe('TB_INTERNAL');
  });
});

describe('the CLI exit code comes from the catalogue', () => {
  const createPool = poolFactory('simple');

  it('exits 2 for bad input and 1 for a failure', async () => {
    expect(exitCodeOf(new TunebenchError('TB_INVALID_SPEC', { detail: 'x' }))).toBe(EXIT.badInput);
    // Resizing a busy pool is not bad input: the same resize works once the run ends.
    const pool = createPool({ threads: 1 });
    const running = pool.run(spin(100));
    const busy = await pool.resize(2).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(busy).toMatchObject({ code: 'TB_RESIZE_DURING_RUN', message: 'resize is only possible between runs; 1 jobs are still in flight' });
    expect(exitCodeOf(busy)).toBe(EXIT.failed);
    await running;
    expect(exitCodeOf(new TunebenchError('TB_RUN_NOT_ACTIVE', { id: 'r' }))).toBe(EXIT.failed);
    expect(exitCodeOf(new UsageError('missing file'))).toBe(EXIT.badInput);
    expect(exitCodeOf(new Error('plain'))).toBe(EXIT.failed);
  });

  it.each(entries)('%s exits as its class says', (code, entry) => {
    expect(exitCodeOf(new TunebenchError(code))).toBe(entry.exit === 'input' ? EXIT.badInput : EXIT.failed);
  });
});

describe('an error that wraps a lower one carries it as its cause', () => {
  it('keeps the cause off the payload that crosses a boundary', () => {
    const lower = new Error('EACCES: permission denied');
    const error = new TunebenchError('TB_FILE_UNREADABLE', { file: '/x/settings.json', reason: lower.message }, { cause: lower });
    expect(error.cause).toBe(lower);
    expect(error.toPayload()).toEqual({ code: 'TB_FILE_UNREADABLE', message: '/x/settings.json cannot be read: EACCES: permission denied' });
    expect(Object.keys(toErrorPayload(error)).sort()).toEqual(['code', 'message']);
    expect(new TunebenchError('TB_INTERNAL', { detail: 'x' }).cause).toBeUndefined();
  });

  it('an unreadable settings file names the file and carries the read error', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tunebench-cause-'));
    try {
      mkdirSync(path.join(dir, 'settings.json'));
      let thrown: unknown;
      try {
        readDesktopSettings(dir);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'TB_FILE_UNREADABLE', message: expect.stringContaining(`${path.join(dir, 'settings.json')} cannot be read: `) });
      expect((thrown as Error).cause).toMatchObject({ code: 'EISDIR' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a taken web host port is TB_PORT_IN_USE with the listen error as its cause', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const host = new WebHost({ engine: { dispatch: () => Promise.resolve() } as unknown as Engine, rendererDir: os.tmpdir(), port });
    try {
      const error = await host.start().then(
        () => undefined,
        (thrown: unknown) => thrown as TunebenchError,
      );
      expect(error).toMatchObject({ code: 'TB_PORT_IN_USE', message: `Port ${port} on 127.0.0.1 is already in use` });
      expect(error?.cause).toMatchObject({ code: 'EADDRINUSE' });
      expect(exitCodeOf(error)).toBe(EXIT.failed);
    } finally {
      await host.dispose();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
