// One load generator as a process of its own, so a bench can read its CPU time
// from /proc/<pid>/stat (bench/load.bench.mjs, bench/probe.bench.mjs):
//   tunebench   the load kind through the built engine against a url target,
//               as the app runs it (Engine, run recorder, the generator thread,
//               the saved record), and nothing else;
//   autocannon  autocannon's API.
// Usage: node bench/load-process.mjs '<json settings>'
//   { tool, url (origin), path, connections, durationSec, requests?, mode?, rate? }
// Protocol on stdio, one JSON object a line: the child loads everything, prints
// {type:'ready'} and waits for a line on stdin, then runs the load and prints
// {type:'result', requests, rps, p50, p99, errors, ...}; it exits when stdin
// ends. So the parent reads the child's CPU time between ready and result, and
// start-up (Node, module loading, the engine's) stays out of it.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const settings = JSON.parse(process.argv[2] ?? '{}');
const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

function waitForLine() {
  return new Promise((resolve) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      if (!buffered.includes('\n')) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolve();
    };
    process.stdin.setEncoding('utf8').on('data', onData);
  });
}

async function tunebenchTool() {
  const { Engine } = await import(path.join(root, 'out/main/engine.js'));
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-load-process-'));
  const engine = await Engine.create({ dataDir, workersDir: path.join(root, 'out/main/workers'), host: 'cli' });
  return {
    async run() {
      const load = {
        mode: settings.mode ?? 'closed',
        connections: settings.connections,
        durationSec: settings.durationSec,
        // Every request the generator makes is counted: no warm-up left out of the results.
        warmupSec: 0,
        timeoutMs: 10_000,
        mix: [{ method: 'GET', path: settings.path, weight: 1 }],
        ...(settings.rate === undefined ? {} : { rate: settings.rate }),
        ...(settings.requests === undefined ? {} : { requests: settings.requests }),
      };
      const spec = { kind: 'load', target: { type: 'url', url: settings.url }, load, sampleIntervalMs: 1_000 };
      const { runId } = await engine.call('runs.start', { spec });
      const record = await engine.runs.wait(runId);
      if (record.status !== 'completed') throw new Error(`load run ended ${record.status}: ${record.error?.message ?? ''}`);
      const value = (key) => record.summary[key]?.value;
      const limited = ['generator', 'connections', 'server'].filter((cause) => value(`${cause}.limited`) === 1);
      return {
        requests: value('requests'),
        rps: value('throughput'),
        p50: value('latency.p50'),
        p99: value('latency.p99'),
        errors: value('errors'),
        limited: limited.join(', '),
        generatorThreadCpuUsPerRequest: value('generator.cpuPerRequest'),
        requestedRate: value('requestedRate'),
      };
    },
    async close() {
      await engine.dispose();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function autocannonTool() {
  const { default: autocannon } = await import('autocannon');
  return {
    async run() {
      const options = { url: settings.url + settings.path, connections: settings.connections, pipelining: 1 };
      if (settings.requests !== undefined) options.amount = settings.requests;
      else options.duration = settings.durationSec;
      const result = await autocannon(options);
      return {
        requests: result.requests.total,
        rps: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.non2xx,
        durationSec: result.duration,
      };
    },
    async close() {},
  };
}

try {
  const tool = settings.tool === 'tunebench' ? await tunebenchTool() : settings.tool === 'autocannon' ? await autocannonTool() : undefined;
  if (!tool) throw new Error(`unknown tool ${settings.tool}`);
  send({ type: 'ready' });
  await waitForLine();
  send({ type: 'result', ...(await tool.run()) });
  await new Promise((resolve) => {
    process.stdin.once('end', resolve).resume();
  });
  await tool.close();
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
