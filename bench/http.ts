/**
 * HTTP benchmark: the API on the embedded defaults (PGlite, in-process everything), loaded by autocannon over
 * loopback. Prints one row per route: requests/s and latency percentiles.
 *   npm run bench:http [-- --duration 10 --connections 10]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_CREDENTIALS, startBenchServer } from './bench-server.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
});

const { config, port, token, stop } = await startBenchServer();
const { argon2 } = config.auth;

const ROUTES = [
  { name: 'GET /healthz', path: '/healthz', note: 'process only' },
  { name: 'GET /readyz', path: '/readyz', note: 'database round trip + storage check' },
  {
    name: 'GET /auth/me',
    path: '/auth/me',
    headers: { authorization: `Bearer ${token}` },
    note: 'JWT check, account state (cached), user row',
  },
  {
    name: 'POST /auth/login',
    path: '/auth/login',
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_CREDENTIALS),
    note: `argon2id m=${argon2.memoryCost} KiB t=${argon2.timeCost} p=${argon2.parallelism}, new session row`,
  },
];

const rows = [];
for (const route of ROUTES) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${route.path}`,
    method: route.method ?? 'GET',
    headers: route.headers,
    body: route.body,
    duration: Number(values.duration),
    connections: Number(values.connections),
  });
  rows.push({
    route: route.name,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    errors: result.errors + result.non2xx,
    what: route.note,
  });
}
await stop();

console.log(
  `\nnode ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${values.connections} connections, ${values.duration} s per route`,
);
console.table(rows);
