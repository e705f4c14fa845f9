import t from 'tap';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';
import { uniqueName } from './helpers/services.ts';

const limited = { RATE_LIMIT_GENERAL_MAX: '3', RATE_LIMIT_GENERAL_WINDOW_MS: '60000' };

t.test('the general limit applies to every route, with the standard headers', async (t) => {
  const { app } = await buildTestApp(t, { env: limited });
  const first = await app.inject({ url: '/docs/json' });
  t.equal(first.headers['x-ratelimit-limit'], '3');
  t.equal(first.headers['x-ratelimit-remaining'], '2');
  t.ok(Number(first.headers['x-ratelimit-reset']) > 0);
  await app.inject({ url: '/docs/json' });
  await app.inject({ url: '/nothing' });
  expectEnvelope(t, await app.inject({ url: '/docs/json' }), 429, 'RATE_LIMITED');
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'health probes are never limited');
});

t.test('with Redis, instances share one count', async (t) => {
  const env = { ...limited, REDIS_PREFIX: uniqueName('shared') };
  const one = await buildTestApp(t, { redis: true, env });
  const two = await buildTestApp(t, { redis: true, env });
  for (const { app } of [one, two, one]) t.equal((await app.inject({ url: '/docs/json' })).statusCode, 200);
  expectEnvelope(t, await two.app.inject({ url: '/docs/json' }), 429, 'RATE_LIMITED');
});

t.test('X-Forwarded-For counts only behind a configured proxy', async (t) => {
  const direct = await buildTestApp(t, { env: limited });
  const spoof = (app: typeof direct.app, ip: string) =>
    app.inject({ url: '/docs/json', headers: { 'x-forwarded-for': ip } });
  for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) await spoof(direct.app, ip);
  expectEnvelope(t, await spoof(direct.app, '4.4.4.4'), 429, 'RATE_LIMITED');
  t.comment('a client cannot escape its limit by inventing addresses');

  const proxied = await buildTestApp(t, { env: { ...limited, TRUST_PROXY: '127.0.0.1' } });
  for (const ip of ['1.1.1.1', '1.1.1.1', '1.1.1.1']) await spoof(proxied.app, ip);
  expectEnvelope(t, await spoof(proxied.app, '1.1.1.1'), 429, 'RATE_LIMITED');
  t.equal((await spoof(proxied.app, '2.2.2.2')).statusCode, 200, 'behind our proxy, each client has its own count');
});
