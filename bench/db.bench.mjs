// Instrumented pool vs bare pg.Pool: the same point-select workload against
// the embedded PostgreSQL, in one run, alternating rounds so drift (caches,
// CPU frequency, autovacuum) hits both sides alike. Prints queries/s and the
// median of the per-round ratios instrumented / bare; the target is >= 0.95.
//
//   npm run bench:db                       (builds first)
//   node bench/db.bench.mjs --seconds 2 --rounds 5 --concurrency 16 --max 10
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

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

/** `concurrency` loops issuing the point select for `seconds`; returns queries/s. */
async function drive(query) {
  const deadline = performance.now() + seconds * 1_000;
  let done = 0;
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
  return done / ((performance.now() - started) / 1_000);
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
  await sides.bare(); // warm-up: connections, plan cache, page cache
  const results = { bare: [], instrumented: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['bare', 'instrumented'] : ['instrumented', 'bare'];
    for (const side of order) {
      const qps = await sides[side]();
      results[side].push(qps);
      console.log(`  round ${round + 1} ${side.padEnd(12)} ${qps.toFixed(0).padStart(8)} queries/s`);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  // Each round's two sides ran seconds apart: their ratio is less exposed to drift than the medians' ratio.
  const ratio = median(results.instrumented.map((qps, round) => qps / results.bare[round]));
  console.log(`bare pg.Pool        ${median(results.bare).toFixed(0).padStart(8)} queries/s (median)`);
  console.log(`instrumented pool   ${median(results.instrumented).toFixed(0).padStart(8)} queries/s (median)`);
  console.log(`ratio               ${ratio.toFixed(3)} (median of per-round ratios; target >= ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`);
  process.exitCode = ratio >= TARGET_RATIO ? 0 : 1;
} finally {
  await server.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
