/**
 * The test command. Starts on 127.0.0.1, with random ports and temporary directories, every server the suite needs
 * whose URL is not already given (PostgreSQL, Redis, an S3-compatible server, an SMTP sink), runs tap with their
 * addresses, stops them, and ends with one line: `N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Parser } from 'tap-parser';
import { startPostgres } from './services/postgres.ts';
import type { RunningService } from './services/process.ts';
import { startRedis } from './services/redis.ts';
import { startS3 } from './services/s3.ts';
import { startSmtpSink } from './services/smtp.ts';

const RESULTS_DIR = '.tap/test-results';

const services: Array<[string, string, () => Promise<RunningService>]> = [
  ['PostgreSQL', 'TEST_POSTGRES_URL', startPostgres],
  ['Redis', 'TEST_REDIS_URL', startRedis],
  ['S3-compatible server', 'TEST_S3_ENDPOINT', startS3],
  ['SMTP sink', 'TEST_SMTP_URL', startSmtpSink],
];

async function startServices(): Promise<RunningService[]> {
  const pending = services
    .filter(([, variable]) => !process.env[variable])
    .map(async ([name, , start]) => {
      const service = await start();
      console.log(`# ${name}: ${Object.values(service.env)[0]}`);
      return service;
    });
  const settled = await Promise.allSettled(pending);
  const running = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(running.map((service) => service.stop()));
    throw failure.reason;
  }
  return running;
}

function runTap(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const tap = spawn(process.execPath, [join('node_modules', '.bin', 'tap'), ...args], { env, stdio: 'inherit' });
    tap.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Counts every test point tap recorded, subtests included, from the TAP it saved for each file. */
async function countResults(): Promise<{ passed: number; failed: number }> {
  const files = await readdir(RESULTS_DIR, { recursive: true }).catch(() => [] as string[]);
  const totals = { passed: 0, failed: 0 };
  for (const file of files.filter((name) => name.endsWith('.tap'))) {
    const parser = new Parser();
    const count = (p: Parser) => {
      p.on('assert', (result: { ok: boolean; todo?: unknown; skip?: unknown }) => {
        if (result.ok || result.todo) totals.passed++;
        else totals.failed++;
      });
      p.on('child', count);
    };
    count(parser);
    parser.end(await readFile(join(RESULTS_DIR, file)));
  }
  return totals;
}

const running = await startServices();
const env = { ...process.env, ...Object.assign({}, ...running.map((service) => service.env)) };
let code = 1;
try {
  await rm(RESULTS_DIR, { recursive: true, force: true });
  code = await runTap(process.argv.slice(2), env);
} finally {
  await Promise.all(running.map((service) => service.stop()));
}
const { passed, failed } = await countResults();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 && code === 0 ? 1 : code);
