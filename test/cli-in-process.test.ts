import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliIo, CliOutput } from '../src/main/cli.js';
import { ExperimentSpecSchema } from '../src/shared/specs/index.js';
import { tinyRunRecord } from './fixtures/run-record.js';

/** An output that keeps what it is given. */
function capture(): CliOutput & { text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

/** Runs one invocation in this process with a fake io; no child process, no process.stdout. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/main/cli.js');
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdout, stderr, env };
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-in-process-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('the CLI in-process', () => {
  it('runs nothing when imported: no output, no exit code', async () => {
    const exitCodeBefore = process.exitCode;
    const stdoutWrite = vi.spyOn(process.stdout, 'write');
    const stderrWrite = vi.spyOn(process.stderr, 'write');
    try {
      const cli = await import('../src/main/cli.js');
      expect(typeof cli.main).toBe('function');
      expect(Object.keys(cli.commands)).toEqual(
        expect.arrayContaining(['run', 'spec', 'task', 'runs', 'sweep', 'compare', 'report', 'import', 'schema', 'serve', 'doctor', 'help']),
      );
      expect(stdoutWrite).not.toHaveBeenCalled();
      expect(stderrWrite).not.toHaveBeenCalled();
      expect(process.exitCode).toBe(exitCodeBefore);
    } finally {
      stdoutWrite.mockRestore();
      stderrWrite.mockRestore();
    }
  });

  it('spec --example pool prints a valid pool spec, exit 0', async () => {
    const result = await run(['spec', '--example', 'pool']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const parsed = ExperimentSpecSchema.parse(JSON.parse(result.stdout));
    expect(parsed.kind).toBe('pool');
  });

  it('answers bad input with exit 2 and the command’s usage', async () => {
    const kind = await run(['spec', '--example', 'teapot']);
    expect(kind.code).toBe(2);
    expect(kind.stdout).toBe('');
    expect(kind.stderr).toContain('tunebench spec: unknown kind "teapot"');
    expect(kind.stderr).toContain('Usage: tunebench spec --example <kind>');

    const command = await run(['launch']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "launch"');

    // An inherited property is no command.
    const inherited = await run(['help', 'constructor']);
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toContain('Unknown command "constructor"');
  });

  it('help lists every command of the table and the exit codes', async () => {
    const { commands, EXIT } = await import('../src/main/cli.js');
    const result = await run(['help']);
    expect(result.code).toBe(0);
    for (const name of Object.keys(commands)) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(result.stdout).toContain(
      `Exit codes: ${EXIT.ok} ok, ${EXIT.failed} failed, ${EXIT.badInput} bad input, ${EXIT.stoppedBySignal} stopped by Ctrl-C.`,
    );
  });

  it('runs, import and runs again on a temp data dir', async () => {
    const env = { TUNEBENCH_DATA_DIR: dataDir };
    const empty = await run(['runs'], env);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe(`No saved runs in ${dataDir}\n`);

    const file = path.join(dataDir, 'export.json');
    await fs.writeFile(file, JSON.stringify(tinyRunRecord('in-process-1')));
    const imported = await run(['import', file], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('Imported 1 run(s) and 0 sweep(s).\n');

    const listed = await run(['runs', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 'in-process-1', status: 'completed', kind: 'pool' }]);

    const table = await run(['runs'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID +STATUS +NAME/);
    expect(table.stdout).toContain('in-process-1');
  });

  it('an engine error that means bad input exits 2, without the usage', async () => {
    const result = await run(['runs', '--limit', '0'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--limit must be a whole number from 1 to 10000');
    expect(result.stderr).not.toContain('Usage:');
  });
});
