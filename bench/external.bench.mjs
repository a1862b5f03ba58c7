// Cross-check (issue #16, part 3): the same load spec run by Tunebench and,
// exported, by Artillery against the same target on this machine, each result
// imported, then compared. k6 is a Go binary that no reachable registry has
// (npm's "k6" is an empty placeholder), so only Artillery runs here; the k6
// export and import are tested against k6's documented format instead
// (test/external-*.test.ts).
//
// Artillery is large (about 460 MB with the AWS and Azure SDKs and Playwright)
// and wants Node 22, so it is not a dependency: install it outside the repo,
// without its install scripts (one downloads a browser):
//   mkdir -p /tmp/tb-artillery && cd /tmp/tb-artillery && npm init -y >/dev/null && npm install --ignore-scripts artillery@2.0.34
// then `npm run build && node bench/external.bench.mjs` (ARTILLERY_BIN points elsewhere).
// Targets 127.0.0.1 only: a `tunebench serve` cluster of one test server.
//
// Options (env): BENCH_RATES (default "200,800"), BENCH_DURATION_SEC (default 10), BENCH_WARMUP_SEC (default 2).
// Tolerances (stated before measuring): throughput within 3 % of the requested rate on both;
// latency p50 within 1 ms and p99 within 5 ms of each other (Artillery opens a connection per
// request and reports whole milliseconds, so sub-millisecond agreement is not expected).
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin/tunebench.js');
const artillery = process.env.ARTILLERY_BIN ?? '/tmp/tb-artillery/node_modules/.bin/artillery';
const rates = (process.env.BENCH_RATES ?? '200,800').split(',').map(Number);
const durationSec = Number(process.env.BENCH_DURATION_SEC ?? 10);
const warmupSec = Number(process.env.BENCH_WARMUP_SEC ?? 2);
const port = 39_000 + Math.floor(Math.random() * 900);

if (!existsSync(artillery)) {
  console.log(`Artillery not found at ${artillery}: see the comment at the top of this file to install it; skipped.`);
  process.exit(0);
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${path.basename(command)} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

async function startTarget() {
  const child = spawn(process.execPath, [cli, 'serve', '--workers', '1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the target did not start in 20 s')), 20_000);
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes(`http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the target exited ${code}`)));
  }).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return child;
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-external-bench-'));
const env = { ...process.env, TUNEBENCH_DATA_DIR: path.join(dir, 'data'), ARTILLERY_DISABLE_TELEMETRY: 'true' };
const target = await startTarget();
const rows = [];
try {
  for (const rate of rates) {
    const spec = {
      kind: 'load',
      name: `cross-check ${rate} req/s`,
      target: { type: 'url', url: `http://127.0.0.1:${port}` },
      load: { mode: 'open', rate, connections: 50, durationSec, warmupSec, timeoutMs: 5_000, mix: [{ method: 'GET', path: '/health', weight: 1 }] },
    };
    const specFile = path.join(dir, `spec-${rate}.json`);
    await fs.writeFile(specFile, JSON.stringify(spec));
    const native = JSON.parse((await run(process.execPath, [cli, 'run', specFile, '--json'], { env })).stdout);
    const script = path.join(dir, `spec-${rate}.artillery.yml`);
    await run(process.execPath, [cli, 'export', 'artillery', specFile, '--out', script], { env });
    const report = path.join(dir, `report-${rate}.json`);
    await run(artillery, ['run', '--output', report, script], { env });
    const version = (await run(artillery, ['version'], { env }).catch(() => ({ stdout: '' }))).stdout.match(/Artillery:\s*(\S+)/)?.[1];
    const imported = await run(process.execPath, [cli, 'import', 'artillery', report, '--spec', specFile, ...(version ? ['--engine-version', version] : [])], { env });
    const runId = imported.stdout.match(/Run (\S+) /)?.[1];
    const record = JSON.parse(await fs.readFile(path.join(dir, 'data/runs', `${runId}.json`), 'utf8'));
    const pick = (r, name) => r.summary[name]?.value;
    rows.push({
      rate,
      tunebench: { throughput: pick(native, 'throughput'), p50: pick(native, 'latency.p50'), p99: pick(native, 'latency.p99'), errors: pick(native, 'errors'), noise: native.noise?.verdict },
      artillery: { throughput: pick(record, 'throughput'), p50: pick(record, 'latency.p50'), p99: pick(record, 'latency.p99'), errors: pick(record, 'errors'), version },
    });
  }
} finally {
  target.kill('SIGINT');
  await new Promise((resolve) => target.once('exit', resolve));
  await fs.rm(dir, { recursive: true, force: true });
}

const f = (value, digits = 2) => (value === undefined ? '–' : Number(value).toFixed(digits));
console.log(`Open loop against one test server on 127.0.0.1 (${durationSec} s measured after ${warmupSec} s of warm-up), ${os.cpus().length} cores, ${os.cpus()[0]?.model.trim()}`);
console.log('| requested | generator | throughput req/s | p50 ms | p99 ms | errors | within tolerance |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) {
  const within =
    Math.abs(row.tunebench.throughput / row.rate - 1) <= 0.03 &&
    Math.abs(row.artillery.throughput / row.rate - 1) <= 0.03 &&
    Math.abs(row.tunebench.p50 - row.artillery.p50) <= 1 &&
    Math.abs(row.tunebench.p99 - row.artillery.p99) <= 5;
  console.log(`| ${row.rate} | Tunebench (machine ${row.tunebench.noise ?? '?'}) | ${f(row.tunebench.throughput, 1)} | ${f(row.tunebench.p50)} | ${f(row.tunebench.p99)} | ${row.tunebench.errors} | |`);
  console.log(`| ${row.rate} | Artillery ${row.artillery.version ?? ''} (exported, imported) | ${f(row.artillery.throughput, 1)} | ${f(row.artillery.p50)} | ${f(row.artillery.p99)} | ${row.artillery.errors} | ${within ? 'yes' : 'no'} |`);
}
