import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../src/config.ts';
import { createServer } from '../src/http/server.ts';

export const BENCH_CREDENTIALS = { email: 'bench@example.com', password: 'sheep ship shop' };

/**
 * The API as production runs it on the embedded defaults, listening on a loopback port, with rate limits off (a
 * benchmark is one client sending many requests) and one registered learner whose access token it returns.
 */
export async function startBenchServer(env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'speakai-bench-'));
  const config: Config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    JWT_SECRET: 'b'.repeat(32),
    SIGNING_SECRET: 'b'.repeat(32),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ENABLED: 'false',
    ...env,
  });
  const server = await createServer(config);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as { port: number };
  const registered = await server.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { ...BENCH_CREDENTIALS, nativeLanguage: 'zh', learningLanguage: 'en' },
  });
  if (registered.statusCode !== 201) throw new Error(`registration failed: ${registered.body}`);
  return {
    config,
    port,
    token: (registered.json() as { token: string }).token,
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** startBenchServer in a child process (bench/serve.ts), so the benchmark's client runs on another event loop. */
export async function startBenchServerProcess(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./serve.ts', import.meta.url))], {
    env: { ...process.env, BENCH_SERVER_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    exited.then(([code]) => {
      throw new Error(`the bench server exited with ${code} before listening`);
    }),
  ])) as [string];
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return {
    port,
    token,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
