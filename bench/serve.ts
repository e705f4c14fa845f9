/**
 * The bench server in a process of its own, as production runs it: the benchmark's client (autocannon, node:http)
 * then does not share the server's event loop. Started by `startBenchServerProcess`; prints `{port, token}` as one
 * JSON line when it listens, and closes the server cleanly on SIGTERM.
 */
import { startBenchServer } from './bench-server.ts';

const server = await startBenchServer(JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}'));
process.once('SIGTERM', async () => {
  await server.stop();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token })}\n`);
