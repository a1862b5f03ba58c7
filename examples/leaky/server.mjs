// A service with a memory leak, for the leak detector to catch: every request
// caches its answer under a key that is never asked for again, and nothing is
// ever evicted. (The fix: a bounded cache, e.g. an LRU with a size limit.)
//
//   PORT  where it listens (default 3300)
//
// GET /health; GET /report?user=<id> builds a ~8 KB report and "caches" it.
import http from 'node:http';

const port = Number(process.env.PORT ?? 3300);
const cache = new Map();
let requests = 0;

function report(user) {
  const lines = [];
  for (let i = 0; i < 100; i++) lines.push({ user, line: i, text: `row ${i} of the report for ${user} `.repeat(2) });
  return lines;
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    response.writeHead(200);
    response.end('ok');
    return;
  }
  if (url.pathname === '/report') {
    requests += 1;
    const user = url.searchParams.get('user') ?? 'anonymous';
    // The bug: the key includes a request counter, so no entry is ever reused or dropped.
    const key = `${user}:${requests}`;
    const value = report(user);
    cache.set(key, value);
    const text = JSON.stringify({ user, rows: value.length, cached: cache.size });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  response.writeHead(404);
  response.end();
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1', () => console.log(`leaky listening on http://127.0.0.1:${port}`));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
