// Instrumented pool vs bare pg.Pool: the same point-select workload against
// the embedded PostgreSQL, in one run, alternating rounds so drift (caches,
// CPU frequency, autovacuum) hits both sides alike. Prints queries/s and the
// client's CPU per query (process.cpuUsage of this process, which is the
// client: PostgreSQL is other processes), each with the median of the
// per-round ratios instrumented / bare. Targets: throughput >= 0.95; CPU per
// query <= 1.05 (issue #11, part 7: CPU per query holds steady where
// throughput swings with the other processes on a shared machine). The exit
// code is 1 when a target is missed.
//
//   npm run bench:db                       (builds first)
//   node bench/db.bench.mjs --seconds 2 --rounds 5 --concurrency 16 --max 10
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fmt, median, medianRatio, ownProcessCpuMs, verdict } from './cpu.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    max: { type: 'string', default: '10' },
    rows: { type: 'string', default: '10000' },
  },
});
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);
const max = Number(args.max);
const rows = Number(args.rows);
const TARGET_RATIO = 0.95;
const CPU_TARGET = 1.05;

const db = await import(new URL('../out/main/db.js', import.meta.url).href).catch((error) => {
  console.error(`bench:db needs the build (npm run build): ${error.message}`);
  process.exit(1);
});

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `concurrency` loops issuing the point select for `seconds`; returns queries/s and this process's CPU per query. */
async function drive(query) {
  const deadline = performance.now() + seconds * 1_000;
  let done = 0;
  const cpuBefore = ownProcessCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, index) => {
      const random = mulberry32(1_000 + index);
      while (performance.now() < deadline) {
        await query(db.POINT_SELECT_SQL, [1 + Math.floor(random() * rows)]);
        done += 1;
      }
    }),
  );
  const qps = done / ((performance.now() - started) / 1_000);
  return { qps, cpuUsPerQuery: ((ownProcessCpuMs() - cpuBefore) * 1_000) / done };
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-bench-db-'));
const server = new db.EmbeddedServer({ baseDir: path.join(dataDir, 'postgres') });
try {
  const connection = await server.start();
  const config = { ...connection, ssl: false, application_name: 'tunebench-bench' };
  const target = { config, label: 'embedded', embedded: true };
  const admin = await db.connectClient(target, 5_000);
  await db.createWorkload({ type: 'pointSelect', rows }).setup(admin, 1);
  await admin.end();

  const settings = {
    max,
    min: 0,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
    statementTimeoutMs: 0,
    queryTimeoutMs: 0,
    preparedStatements: false,
  };
  const sides = {
    bare: async () => {
      const pool = new pg.Pool({ ...config, max, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
      pool.on('error', () => {});
      try {
        return await drive((text, values) => pool.query(text, values));
      } finally {
        await pool.end();
      }
    },
    instrumented: async () => {
      const pool = new db.InstrumentedPool({ target, settings, slowQueryMs: 50 });
      try {
        return await drive((text, values) => pool.query(text, values));
      } finally {
        await pool.end();
      }
    },
  };

  console.log(
    `point select, ${rows} rows, concurrency ${concurrency}, pool max ${max}, ${rounds} × ${seconds} s per side (PostgreSQL ${server.status().version}, ${os.cpus().length} CPUs)`,
  );
  // Warm-up, untimed: connections, plan cache, page cache, and each side's code compiled.
  await sides.bare();
  await sides.instrumented();
  const results = { bare: { qps: [], cpu: [] }, instrumented: { qps: [], cpu: [] } };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['bare', 'instrumented'] : ['instrumented', 'bare'];
    for (const side of order) {
      const { qps, cpuUsPerQuery } = await sides[side]();
      results[side].qps.push(qps);
      results[side].cpu.push(cpuUsPerQuery);
      console.log(`  round ${round + 1} ${side.padEnd(12)} ${fmt(qps).padStart(8)} queries/s ${fmt(cpuUsPerQuery, 1).padStart(7)} µs client CPU/query`);
    }
  }
  // Each round's two sides ran seconds apart: their ratio is less exposed to drift than the medians' ratio.
  const ratio = medianRatio(results.instrumented.qps, results.bare.qps);
  const cpuRatio = medianRatio(results.instrumented.cpu, results.bare.cpu);
  const throughputVerdict = verdict(ratio, { atLeast: TARGET_RATIO });
  const cpuVerdict = verdict(cpuRatio, { atMost: CPU_TARGET });
  for (const side of ['bare', 'instrumented']) {
    const label = side === 'bare' ? 'bare pg.Pool      ' : 'instrumented pool ';
    console.log(`${label} ${fmt(median(results[side].qps)).padStart(8)} queries/s ${fmt(median(results[side].cpu), 1).padStart(7)} µs client CPU/query (medians)`);
  }
  console.log(`ratio, throughput  ${fmt(ratio, 3)} (median of per-round ratios instrumented / bare; target >= ${TARGET_RATIO}) ${throughputVerdict}`);
  console.log(`ratio, CPU/query   ${fmt(cpuRatio, 3)} (median of per-round ratios instrumented / bare; target <= ${CPU_TARGET}) ${cpuVerdict}`);
  process.exitCode = throughputVerdict === 'HIT' && cpuVerdict === 'HIT' ? 0 : 1;
} finally {
  await server.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
