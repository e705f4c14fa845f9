import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import Type from 'typebox';
import { AppError } from '../src/errors.ts';
import { bearer, register, updateUser } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

function routes(app: FastifyInstance) {
  app.post(
    '/test/echo',
    { schema: { body: Type.Object({ name: Type.String({ maxLength: 10 }) }, { additionalProperties: false }) } },
    async (request) => request.body,
  );
  app.get('/test/private', { onRequest: app.authenticate }, async (request) => ({ user: request.user.sub }));
  app.get('/test/admin', { onRequest: app.requireRole('admin') }, async () => ({ ok: true }));
  app.get('/test/boom', async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/test/conflict', async () => {
    throw new AppError(409, 'EMAIL_TAKEN', 'That email is already registered', { field: 'email' });
  });
  app.post('/test/upload', async (request) => {
    const file = await request.file();
    const bytes = (await file?.toBuffer())?.length ?? 0;
    return { bytes };
  });
  app.get('/test/limited', { config: { rateLimit: { max: 2, timeWindow: 60_000 } } }, async () => ({ ok: true }));
}

t.test('every failure leaves in the envelope with the request id', async (t) => {
  const { app, logs } = await buildTestApp(t, {
    routes,
    env: { BODY_LIMIT_BYTES: '2048', UPLOAD_LIMIT_BYTES: '4096' },
  });

  t.test('400: schema violations name the field', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 42, extra: true } });
    const error = expectEnvelope(t, res, 400, 'VALIDATION_ERROR');
    t.ok(Array.isArray(error.details), 'details list each problem');
    t.match(JSON.stringify(error.details), /extra|additional/, 'unknown fields are refused, not dropped');
  });

  t.test('400: malformed JSON', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expectEnvelope(t, res, 400, 'INVALID_BODY');
  });

  const learner = await register(app);
  const admin = await register(app);
  await updateUser(app, admin.id, { role: 'admin' });

  t.test('401: no token, a tampered token, alg none, a foreign secret', async (t) => {
    expectEnvelope(t, await app.inject({ url: '/test/private' }), 401, 'UNAUTHORIZED');
    const token = learner.token;
    const ok = await app.inject({ url: '/test/private', headers: { authorization: `Bearer ${token}` } });
    t.equal(ok.statusCode, 200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ sub: admin.id, role: 'admin' })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const foreign = createHmac('sha256', 'x'.repeat(32)).update(`${header}.${payload}`).digest('base64url');
    for (const bad of [`${header}.${forged}.${signature}`, `${none}.${forged}.`, `${header}.${payload}.${foreign}`]) {
      const res = await app.inject({ url: '/test/private', headers: { authorization: `Bearer ${bad}` } });
      expectEnvelope(t, res, 401, 'INVALID_TOKEN');
    }
  });

  t.test('401 for an expired token says so', async (t) => {
    const expired = app.jwt.sign({ sub: learner.id, role: 'user', iat: 1000 } as never, { expiresIn: 1 });
    const res = await app.inject({ url: '/test/private', headers: { authorization: `Bearer ${expired}` } });
    expectEnvelope(t, res, 401, 'TOKEN_EXPIRED');
  });

  t.test('403: a user on an admin route; the role is read from the account, not the token', async (t) => {
    expectEnvelope(t, await app.inject({ url: '/test/admin', headers: bearer(learner.token) }), 403, 'FORBIDDEN');
    t.equal((await app.inject({ url: '/test/admin', headers: bearer(admin.token) })).statusCode, 200);
    const minted = app.jwt.sign({ sub: learner.id, role: 'admin' });
    expectEnvelope(t, await app.inject({ url: '/test/admin', headers: bearer(minted) }), 403, 'FORBIDDEN');
  });

  t.test('404: unknown route', async (t) => {
    expectEnvelope(t, await app.inject({ url: '/nothing/here?x=1' }), 404, 'NOT_FOUND');
  });

  t.test('409: an AppError keeps its code and details', async (t) => {
    const error = expectEnvelope(t, await app.inject({ url: '/test/conflict' }), 409, 'EMAIL_TAKEN');
    t.same(error.details, { field: 'email' });
  });

  t.test('413: a JSON body over the limit', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'x'.repeat(4000) } });
    expectEnvelope(t, res, 413, 'PAYLOAD_TOO_LARGE');
  });

  t.test('413: an uploaded file over the limit', async (t) => {
    const boundary = 'speakaiboundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="audioFile"; filename="a.wav"\r\n`),
      Buffer.from('Content-Type: audio/wav\r\n\r\n'),
      Buffer.alloc(8192, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/test/upload',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expectEnvelope(t, res, 413, 'PAYLOAD_TOO_LARGE');
  });

  t.test('415: a content type no route accepts', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'name=x',
    });
    expectEnvelope(t, res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  t.test('429: over a route limit, with the standard headers', async (t) => {
    const headers = { 'x-forwarded-for': '10.0.0.9' };
    for (let i = 0; i < 2; i++) t.equal((await app.inject({ url: '/test/limited', headers })).statusCode, 200);
    const res = await app.inject({ url: '/test/limited', headers });
    expectEnvelope(t, res, 429, 'RATE_LIMITED');
    t.equal(res.headers['x-ratelimit-limit'], '2');
    t.equal(res.headers['x-ratelimit-remaining'], '0');
    t.ok(Number(res.headers['retry-after']) > 0, 'retry-after tells when to come back');
  });

  t.test('500: the cause is logged, never shown', async (t) => {
    const res = await app.inject({ url: '/test/boom', headers: { 'x-request-id': 'trace-500' } });
    const error = expectEnvelope(t, res, 500, 'INTERNAL_ERROR');
    t.equal(error.requestId, 'trace-500');
    t.notMatch(res.body, /hunter2|stack|Error:/, 'no internals in the response');
    const logged = logs.find((line) => line.reqId === 'trace-500' && line.level === 50);
    t.ok(logged, 'the failure is logged at error level with the request id');
    t.match(JSON.stringify(logged), /hunter2/, 'the log keeps the cause for us');
  });
});

t.test('request ids: a sane client id is echoed, anything else is replaced', async (t) => {
  const { app } = await buildTestApp(t);
  const kept = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'client-abc.123' } });
  t.equal(kept.headers['x-request-id'], 'client-abc.123');
  const replaced = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\twith spaces' } });
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  const generated = await app.inject({ url: '/healthz' });
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  t.not(generated.headers['x-request-id'], replaced.headers['x-request-id']);
});
