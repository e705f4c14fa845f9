import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/config.ts';
import { createServer } from '../../src/http/server.ts';
import { loggerOptions } from '../../src/logger.ts';
import { createBucket, createDatabase, servers, uniqueName } from './services.ts';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface TestAppOptions {
  database?: DatabaseKind;
  redis?: boolean;
  storage?: 'local' | 's3';
  mail?: 'outbox' | 'smtp';
  /** Extra environment, as an operator would set it. */
  env?: Record<string, string>;
  /** Routes only this test needs, registered inside the real app before it is ready. */
  routes?: (app: FastifyInstance) => void;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** Every line the app logged, parsed. */
  logs: Array<Record<string, unknown>>;
  dataDir: string;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** The databases each database test runs on: PGlite always, PostgreSQL whenever the suite has a server. */
export const DATABASES: DatabaseKind[] = servers.postgres ? ['pglite', 'postgresql'] : ['pglite'];

/** The environment of a test app: a temporary data directory and, per option, its own database, bucket and prefix. */
export async function testEnv(t: Teardown, options: TestAppOptions = {}): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'speakai-test-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PGLITE_DATA_DIR: 'memory://',
    LOG_LEVEL: 'info',
    JWT_SECRET: randomBytes(32).toString('hex'),
    SIGNING_SECRET: randomBytes(32).toString('hex'),
    JOB_BACKOFF_MS: '10',
  };
  if (options.database === 'postgresql') {
    const database = await createDatabase();
    t.teardown(database.drop);
    Object.assign(env, { DATABASE_URL: database.url, DATABASE_MIGRATE_ON_START: 'true' });
  }
  if (options.redis) Object.assign(env, { REDIS_URL: servers.redis ?? '', REDIS_PREFIX: uniqueName('test') });
  if (options.storage === 's3') {
    Object.assign(env, {
      S3_BUCKET: await createBucket(),
      S3_ENDPOINT: servers.s3 ?? '',
      S3_ACCESS_KEY_ID: process.env.TEST_S3_ACCESS_KEY_ID ?? '',
      S3_SECRET_ACCESS_KEY: process.env.TEST_S3_SECRET_ACCESS_KEY ?? '',
      S3_FORCE_PATH_STYLE: 'true',
    });
  }
  if (options.mail === 'smtp') env.SMTP_URL = servers.smtp ?? '';
  return { ...env, ...options.env };
}

export async function buildTestApp(t: Teardown, options: TestAppOptions = {}): Promise<TestApp> {
  const env = await testEnv(t, options);
  const config = loadConfig(env);
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino(loggerOptions(config.logLevel), sink);
  const app = await createServer(config, { logger, routes: options.routes });
  await app.ready();
  t.teardown(() => app.close());
  return { app, config, logs, dataDir: env.DATA_DIR as string };
}
