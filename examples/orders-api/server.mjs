// An orders API on node-postgres: the pool's size is the setting to tune.
//
//   DATABASE_URL  where PostgreSQL is (Tunebench hands one over with "database": "embedded")
//   PG_POOL_MAX   connections in the pool (default 10): the knob "poolMax"
//   PORT          where it listens (default 3100)
//
// GET /health, GET /orders/:id, GET /customers/:id/orders (the customer's last
// 20 orders and their total), POST /orders {"customerId", "amountCents"}.
// On SIGTERM it stops taking connections, lets requests in flight finish,
// closes the pool and exits: a graceful stop, as Tunebench asks for.
import http from 'node:http';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3100);
const poolMax = Number(process.env.PG_POOL_MAX ?? 10);
if (!process.env.DATABASE_URL) {
  console.error('orders-api: DATABASE_URL is not set');
  process.exit(1);
}

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: poolMax, connectionTimeoutMillis: 10_000 });
pool.on('error', (error) => console.error(`orders-api: idle client error: ${error.message}`));

const CUSTOMERS = 1_000;
const SEED_ORDERS = 20_000;

async function prepare() {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS orders (
      id bigserial PRIMARY KEY,
      customer_id integer NOT NULL,
      amount_cents integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await pool.query('CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id, created_at DESC)');
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM orders');
  if (rows[0].n < SEED_ORDERS) {
    await pool.query(
      `INSERT INTO orders (customer_id, amount_cents)
       SELECT 1 + (i % $1), 100 + (i * 7919) % 100000 FROM generate_series(1, $2) AS i`,
      [CUSTOMERS, SEED_ORDERS - rows[0].n],
    );
    console.log(`orders-api: seeded ${SEED_ORDERS - rows[0].n} orders`);
  }
}

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      text += chunk;
      if (text.length > 64 * 1024) reject(new Error('body too large'));
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

async function handle(request, response) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean);
  if (request.method === 'GET' && url.pathname === '/health') return send(response, 200, { ok: true, poolMax });
  if (request.method === 'GET' && parts[0] === 'orders' && parts.length === 2) {
    const { rows } = await pool.query('SELECT id, customer_id, amount_cents, created_at FROM orders WHERE id = $1', [Number(parts[1])]);
    return rows.length ? send(response, 200, rows[0]) : send(response, 404, { error: 'no such order' });
  }
  if (request.method === 'GET' && parts[0] === 'customers' && parts[2] === 'orders' && parts.length === 3) {
    const customer = Number(parts[1]);
    const { rows } = await pool.query(
      'SELECT id, amount_cents, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20',
      [customer],
    );
    const total = await pool.query('SELECT coalesce(sum(amount_cents), 0)::bigint AS total FROM orders WHERE customer_id = $1', [customer]);
    return send(response, 200, { customer, orders: rows, totalCents: Number(total.rows[0].total) });
  }
  if (request.method === 'POST' && url.pathname === '/orders') {
    let order;
    try {
      order = JSON.parse((await readBody(request)) || '{}');
    } catch {
      return send(response, 400, { error: 'body must be JSON' });
    }
    const customerId = Number(order.customerId ?? 1 + Math.floor(Math.random() * CUSTOMERS));
    const amountCents = Number(order.amountCents ?? 1_000);
    if (!Number.isInteger(customerId) || !Number.isInteger(amountCents)) return send(response, 400, { error: 'customerId and amountCents are integers' });
    const { rows } = await pool.query('INSERT INTO orders (customer_id, amount_cents) VALUES ($1, $2) RETURNING id', [customerId, amountCents]);
    return send(response, 201, { id: Number(rows[0].id) });
  }
  return send(response, 404, { error: 'not found' });
}

await prepare();
const server = http.createServer((request, response) => {
  handle(request, response).catch((error) => {
    console.error(`orders-api: ${request.method} ${request.url}: ${error.message}`);
    if (!response.headersSent) send(response, 500, { error: 'internal error' });
    else response.destroy();
  });
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1', () => console.log(`orders-api listening on http://127.0.0.1:${port} (pool max ${poolMax})`));

process.once('SIGTERM', () => {
  console.log('orders-api: SIGTERM, closing');
  server.close(() => {
    pool.end().then(() => process.exit(0), () => process.exit(1));
  });
  // Keep-alive sockets would hold close() open: idle ones go now.
  server.closeIdleConnections();
});
