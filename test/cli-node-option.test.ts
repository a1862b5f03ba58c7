import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode, tunebench, waitForOutput } from './fixtures/built.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tunebench-cli-node-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { TUNEBENCH_DATA_DIR: path.join(scratch, 'data') };

/** An executable that notes each start, then is the real Node. */
function wrapperNode(name: string): { file: string; starts: () => number } {
  const file = path.join(scratch, name);
  const marker = `${file}.starts`;
  writeFileSync(file, `#!/bin/sh\necho started >> "${marker}"\nexec "${process.execPath}" "$@"\n`);
  chmodSync(file, 0o755);
  return { file, starts: () => readFileSync(marker, 'utf8').trim().split('\n').length };
}

describe('--node chooses the Node.js that subject processes run on', () => {
  it('is a global CLI option: serve runs the cluster on it, before or after the command name', async () => {
    const chosen = wrapperNode('node-a');
    for (const args of [['--node', chosen.file, 'serve', '--workers', '1'], ['serve', '--workers', '1', `--node=${chosen.file}`]]) {
      const { child, finished } = spawnNode(['bin/tunebench.js', ...args], env);
      await waitForOutput(child, 'stdout', /http:\/\/127\.0\.0\.1:\d+\n/);
      child.kill('SIGINT');
      const result = await finished;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`(runtime ${chosen.file} (v${process.versions.node}, setting))`);
    }
    expect(chosen.starts()).toBe(2);
  });

  it('refuses a path that is not an executable, naming the option, with exit 2', async () => {
    const missing = await tunebench(['--node', path.join(scratch, 'no-such-node'), 'runs'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--node <path> must be the absolute path of an executable Node.js binary, got "${path.join(scratch, 'no-such-node')}"`);
    const bare = await tunebench(['runs', '--node', 'node'], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('got "node"');
    const usage = await tunebench(['help'], env);
    expect(usage.stdout).toContain('Global option: --node <path>');
  });

  it('is a web host flag too', async () => {
    const { finished } = spawnNode(['out/main/web.js', '--node', path.join(scratch, 'no-such-node'), '--port', '0'], env);
    const result = await finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--node <path> (web host) must be the absolute path of an executable Node.js binary');
    const help = await spawnNode(['out/main/web.js', '--help'], env).finished;
    expect(help.stdout).toContain('--node <path>');
  });
});
