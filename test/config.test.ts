import t from 'tap';
import { type ConfigError, loadConfig } from '../src/config.ts';

const base = { DATA_DIR: '/tmp/speakai-config-test', JWT_SECRET: 'j'.repeat(32), SIGNING_SECRET: 's'.repeat(32) };

t.test('no variables: the embedded defaults', async (t) => {
  const config = loadConfig(base);
  t.equal(config.host, '127.0.0.1');
  t.equal(config.port, 3000);
  t.equal(config.database.driver, 'pglite');
  t.equal(config.database.migrateOnStart, true);
  t.equal(config.storage.driver, 'local');
  t.equal(config.mail.driver, 'outbox');
  t.equal(config.redis, undefined);
  t.equal(config.jobs.runWorkers, true);
  t.same(config.rateLimit.rules.auth, { max: 5, windowMs: 60_000 }, 'the spec: auth 5 per minute');
  t.same(config.rateLimit.rules.general, { max: 1000, windowMs: 3_600_000 }, 'general 1000 per hour');
  t.same(config.cache.ttlSeconds, { session: 900, lesson: 3600, progress: 300, audio: 86400, api: 60, analysis: 3600 });
});

t.test('URLs switch each part to its server', async (t) => {
  const config = loadConfig({
    ...base,
    DATABASE_URL: 'postgres://u@db:5432/speakai',
    REDIS_URL: 'redis://cache:6379',
    S3_BUCKET: 'speakai-audio',
    SMTP_URL: 'smtp://mail:25',
    RUN_WORKERS: 'false',
    RATE_LIMIT_AUTH_MAX: '500',
  });
  t.equal(config.database.driver, 'postgresql');
  t.equal(config.database.migrateOnStart, false, 'a shared database is migrated deliberately');
  t.equal(config.redis?.url, 'redis://cache:6379');
  t.equal(config.storage.driver, 's3');
  t.equal(config.mail.driver, 'smtp');
  t.equal(config.jobs.runWorkers, false, 'with Redis a separate worker can take the jobs');
  t.equal(config.rateLimit.rules.auth.max, 500, 'limits can be raised for load tests');
});

t.test('without Redis the API process must run the jobs itself', async (t) => {
  t.equal(loadConfig({ ...base, RUN_WORKERS: 'false' }).jobs.runWorkers, true);
});

t.test('a bad variable fails fast, by name', async (t) => {
  t.throws(() => loadConfig({ ...base, PORT: 'eighty' }), { name: 'ConfigError', message: /PORT/ });
  t.throws(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' }), { message: /DATABASE_URL.*postgres/s });
  t.throws(() => loadConfig({ ...base, LOG_LEVEL: 'loud' }), { message: /LOG_LEVEL/ });
  t.throws(() => loadConfig({ ...base, RATE_LIMIT_AUTH_MAX: '0' }), { message: /RATE_LIMIT_AUTH_MAX/ });
  const error = t.throws(() => loadConfig({ ...base, PORT: 'x', REDIS_URL: 'http://nope' })) as ConfigError;
  t.match(error.message, /PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*PORT/, 'every bad variable is named at once');
});

t.test('production refuses to run without its secrets', async (t) => {
  t.throws(() => loadConfig({ DATA_DIR: base.DATA_DIR, NODE_ENV: 'production' }), {
    message: /JWT_SECRET: required in production[\s\S]*SIGNING_SECRET/,
  });
  t.throws(() => loadConfig({ ...base, JWT_SECRET: 'short' }), { message: /JWT_SECRET/ });
});
