import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findBinary,
  freePort,
  giveTo,
  type RunningService,
  startUntilReady,
  stopProcess,
  unprivilegedUser,
} from './process.ts';

/** A throwaway PostgreSQL cluster: initdb into a temporary directory, trust auth, loopback only, no fsync. */
export async function startPostgres(): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), 'speakai-postgres-'));
  const data = join(dir, 'data');
  const user = unprivilegedUser();
  giveTo(user, dir);
  execFileSync(findBinary('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
    ...user,
    cwd: dir,
    stdio: 'pipe',
  });
  const port = await freePort();
  const server = await startUntilReady(
    findBinary('postgres'),
    [
      ...['-D', data, '-p', String(port), '-k', dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    /database system is ready to accept connections/,
    { ...user, cwd: dir },
  );
  return {
    env: { TEST_POSTGRES_URL: `postgres://postgres@127.0.0.1:${port}/postgres` },
    async stop() {
      await stopProcess(server, 'SIGINT');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
