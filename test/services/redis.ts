import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, type RunningService, startUntilReady, stopProcess } from './process.ts';

export async function startRedis(): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), 'speakai-redis-'));
  const port = await freePort();
  const server = await startUntilReady(
    findBinary('redis-server'),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    /Ready to accept connections/,
  );
  return {
    env: { TEST_REDIS_URL: `redis://127.0.0.1:${port}` },
    async stop() {
      await stopProcess(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
