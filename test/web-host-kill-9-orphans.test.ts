import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from '../src/main/engine/processes/process-info.js';
import { spawnNode, waitForOutput } from './fixtures/built.js';
import { waitUntil } from './fixtures/cluster.js';
import { processesNaming, processTree } from './fixtures/processes.js';
import { connect } from './fixtures/web-host.js';

// The built web host with everything it can start running at once, killed with SIGKILL.
let dataDir: string | undefined;
let kill: (() => void) | undefined;

afterEach(async () => {
  kill?.();
  if (dataDir) {
    for (const pid of processesNaming(dataDir)) process.kill(pid, 'SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});

describe('kill -9 of the web host', () => {
  it('leaves no process it started after 5 s: cluster supervisor and servers, memory sandbox, embedded PostgreSQL and its watchdog', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-web-kill-'));
    const { child } = spawnNode(['out/main/web.js', '--port', '0'], { TUNEBENCH_DATA_DIR: dataDir });
    kill = () => child.kill('SIGKILL');
    const printed = await waitForOutput(child, 'stdout', /serving at (\S+)/);
    const url = new URL(/serving at (\S+)/.exec(printed)![1]!);
    const client = await connect(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { origin: url.origin });

    const cluster = await client.call('cluster.start', { settings: { workers: 2 } });
    expect(cluster.ok, JSON.stringify(cluster)).toBe(true);
    const db = await client.call('db.testConnection', { target: 'embedded' });
    expect(db.ok, JSON.stringify(db)).toBe(true);
    const example = await client.call('spec.example', { kind: 'memory' });
    const run = await client.call('runs.start', { spec: { ...(example.ok ? (example.value as { spec: object }).spec : {}), durationSec: 60 } });
    expect(run.ok, JSON.stringify(run)).toBe(true);
    // The sandbox has started once the run's frames report memory.
    await client.waitFor((message) => message.type === 'stream' && message.stream === 'run.frame', 30_000);

    const clusterDir = path.join(dataDir, 'postgres', 'data');
    const tree = processTree(child.pid!).filter((pid) => pid !== child.pid);
    const names = tree.map((pid) => fs.readFile(`/proc/${pid}/cmdline`, 'utf8').then((text) => text.split('\0').join(' '), () => ''));
    const commandLines = await Promise.all(names);
    expect(commandLines.some((line) => line.includes('cluster-supervisor'))).toBe(true);
    expect(commandLines.some((line) => line.includes('memory-sandbox'))).toBe(true);
    expect(commandLines.some((line) => line.includes(`postgres -D ${clusterDir}`))).toBe(true);
    expect(tree.length).toBeGreaterThanOrEqual(8);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await waitUntil(() => tree.every((pid) => !isProcessRunning(pid)), 'every process the web host started has exited', 10_000);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(processesNaming(dataDir)).toEqual([]);
    await client.close().catch(() => {});
  });
});
