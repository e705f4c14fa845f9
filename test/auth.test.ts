import type { ParsedMail } from 'mailparser';
import t from 'tap';
import { OneTimeToken, RefreshToken, User, UserPreferences } from '../src/entities/index.ts';
import { bearer, register, updateUser } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';
import { findMail, linkToken } from './helpers/mail.ts';
import { servers } from './helpers/services.ts';

const relaxed = { RATE_LIMIT_AUTH_MAX: '1000' };

t.test('register, confirm the email from the real mail, sign in', async (t) => {
  const { app } = await buildTestApp(t, { database: 'postgresql', mail: 'smtp', env: relaxed });
  const email = `Ana.${Date.now()}@Example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password: 'sheep ship shop', nativeLanguage: 'es', learningLanguage: 'en', firstName: 'Ana' },
  });
  t.equal(res.statusCode, 201);
  const { user, token, refreshToken } = res.json();
  t.equal(user.email, email.toLowerCase(), 'emails are stored lowercased');
  t.equal(user.isEmailVerified, false);
  t.notOk('passwordHash' in user, 'the hash never leaves the server');
  t.ok(token && refreshToken);
  t.match((await app.orm.em.fork().findOneOrFail(User, user.id)).passwordHash, /^\$argon2id\$/, 'argon2id');
  t.equal(await app.orm.em.fork().count(UserPreferences, { user: user.id }), 1, 'preferences exist from the start');

  const me = await app.inject({ url: '/auth/me', headers: bearer(token) });
  t.equal(me.json().user.id, user.id);

  const mail = await findMail(servers.mailDir ?? '', email.toLowerCase());
  t.equal(mail.subject, 'Confirm your email for SpeakAI');
  t.match(mail.html, /Hi Ana,/);
  const verified = await app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token: linkToken(mail) } });
  t.equal(verified.statusCode, 200);
  t.equal(verified.json().user.isEmailVerified, true);
  const again = await app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token: linkToken(mail) } });
  expectEnvelope(t, again, 400, 'INVALID_TOKEN');

  const login = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email, password: 'sheep ship shop' },
  });
  t.equal(login.statusCode, 200);
  t.ok(login.json().user.lastLoginAt, 'the sign-in is recorded');
});

t.test('register refuses bad input, and leaves no row behind', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const valid = { email: 'bo@example.com', password: 'sheep ship shop', nativeLanguage: 'zh', learningLanguage: 'en' };
  const cases: Array<[string, unknown, string]> = [
    ['missing fields', { email: 'bo@example.com' }, 'VALIDATION_ERROR'],
    ['wrong types', { ...valid, nativeLanguage: 7 }, 'VALIDATION_ERROR'],
    ['not an email', { ...valid, email: 'not-an-email' }, 'VALIDATION_ERROR'],
    ['oversized email', { ...valid, email: `${'a'.repeat(250)}@example.com` }, 'VALIDATION_ERROR'],
    ['oversized name', { ...valid, firstName: 'x'.repeat(101) }, 'VALIDATION_ERROR'],
    ['oversized password', { ...valid, password: 'p'.repeat(129) }, 'VALIDATION_ERROR'],
    ['unknown field', { ...valid, role: 'admin' }, 'VALIDATION_ERROR'],
    ['bad language tag', { ...valid, learningLanguage: 'English' }, 'VALIDATION_ERROR'],
    ['short password', { ...valid, password: 'short' }, 'WEAK_PASSWORD'],
    ['common password', { ...valid, password: 'password123' }, 'WEAK_PASSWORD'],
    [
      'password from the email',
      { ...valid, email: 'maximilian@example.com', password: 'maximilian2026!' },
      'WEAK_PASSWORD',
    ],
  ];
  for (const [name, payload, code] of cases) {
    const res = await app.inject({ method: 'POST', url: '/auth/register', payload: payload as object });
    expectEnvelope(t, res, 400, code);
    t.comment(name);
  }
  const notJson = await app.inject({
    method: 'POST',
    url: '/auth/register',
    headers: { 'content-type': 'application/json' },
    payload: '{"email":',
  });
  expectEnvelope(t, notJson, 400, 'INVALID_BODY');
  t.equal(await app.orm.em.fork().count(User, {}), 0, 'no user was created by any of them');

  await register(app, { email: 'dup@example.com' });
  const dup = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { ...valid, email: 'DUP@example.com' },
  });
  const error = expectEnvelope(t, dup, 409, 'CONFLICT');
  t.same(error.details, { field: 'email' });
});

t.test('login: wrong password and unknown email get the same answer; suspended accounts are refused', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  const wrong = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: ana.email, password: 'not it at all' },
  });
  const unknown = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: 'nobody@example.com', password: 'not it at all' },
  });
  const a = expectEnvelope(t, wrong, 401, 'INVALID_CREDENTIALS');
  const b = expectEnvelope(t, unknown, 401, 'INVALID_CREDENTIALS');
  t.equal(a.message, b.message, 'no hint whether the account exists');
  expectEnvelope(
    t,
    await app.inject({ method: 'POST', url: '/auth/login', payload: { email: ana.email } }),
    400,
    'VALIDATION_ERROR',
  );

  await updateUser(app, ana.id, { status: 'suspended' });
  const suspended = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: ana.email, password: ana.password },
  });
  expectEnvelope(t, suspended, 403, 'ACCOUNT_SUSPENDED');
  const stillValidToken = await app.inject({ url: '/auth/me', headers: bearer(ana.token) });
  expectEnvelope(t, stillValidToken, 403, 'ACCOUNT_SUSPENDED');
  const refresh = await app.inject({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refreshToken: ana.refreshToken },
  });
  expectEnvelope(t, refresh, 403, 'ACCOUNT_SUSPENDED');
});

t.test('refresh tokens rotate; reusing a spent one revokes the whole family', async (t) => {
  const { app } = await buildTestApp(t, { database: 'postgresql', env: relaxed });
  const ana = await register(app);
  const refresh = (refreshToken: string) =>
    app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

  const first = await refresh(ana.refreshToken);
  t.equal(first.statusCode, 200);
  const rotated = first.json();
  t.not(rotated.refreshToken, ana.refreshToken, 'a new refresh token each time');
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(rotated.token) })).statusCode, 200);

  expectEnvelope(t, await refresh(ana.refreshToken), 401, 'REFRESH_TOKEN_REUSED');
  expectEnvelope(t, await refresh(rotated.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  t.comment('the thief and the owner are both signed out: the owner signs in again');

  const other = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: ana.email, password: ana.password },
  });
  expectEnvelope(t, await refresh('x'.repeat(43)), 401, 'INVALID_REFRESH_TOKEN');
  expectEnvelope(t, await refresh('short'), 400, 'VALIDATION_ERROR');

  await app.orm.em.fork().nativeUpdate(RefreshToken, { user: ana.id, revokedAt: null }, { expiresAt: new Date(1000) });
  expectEnvelope(t, await refresh(other.json().refreshToken), 401, 'REFRESH_TOKEN_EXPIRED');
});

t.test('two racing refreshes of one token: exactly one wins', async (t) => {
  const { app } = await buildTestApp(t, { database: 'postgresql', env: relaxed });
  const ana = await register(app);
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: ana.refreshToken } }),
    ),
  );
  t.equal(results.filter((res) => res.statusCode === 200).length, 1);
});

t.test('logout ends one session, or all of them', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  const login = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: ana.email, password: ana.password },
  });
  const second = login.json();
  const refresh = (refreshToken: string) =>
    app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

  expectEnvelope(t, await app.inject({ method: 'POST', url: '/auth/logout', payload: {} }), 401, 'UNAUTHORIZED');
  const out = await app.inject({
    method: 'POST',
    url: '/auth/logout',
    headers: bearer(ana.token),
    payload: { refreshToken: ana.refreshToken },
  });
  t.equal(out.statusCode, 204);
  expectEnvelope(t, await refresh(ana.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
  const stillIn = await refresh(second.refreshToken);
  t.equal(stillIn.statusCode, 200, 'the other session lives on');

  await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(ana.token), payload: { everywhere: true } });
  expectEnvelope(t, await refresh(stillIn.json().refreshToken), 401, 'INVALID_REFRESH_TOKEN');
});

t.test('access tokens: tampered, foreign, or of a deleted account are refused', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  const [header, payload, signature] = ana.token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const escalated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  for (const bad of [`${header}.${escalated}.${signature}`, `${none}.${escalated}.`, `${ana.token}x`]) {
    expectEnvelope(t, await app.inject({ url: '/auth/me', headers: bearer(bad) }), 401, 'INVALID_TOKEN');
  }
  await app.orm.em.fork().nativeDelete(User, { id: ana.id });
  await app.forgetAccount(ana.id);
  expectEnvelope(t, await app.inject({ url: '/auth/me', headers: bearer(ana.token) }), 401, 'INVALID_TOKEN');
});

t.test('forgot and reset password, through the real mail', async (t) => {
  const { app } = await buildTestApp(t, { mail: 'smtp', env: relaxed });
  const ana = await register(app);
  const forgot = (email: string) => app.inject({ method: 'POST', url: '/auth/forgot-password', payload: { email } });

  const unknown = await forgot(`ghost-${Date.now()}@example.com`);
  const known = await forgot(ana.email.toUpperCase());
  t.equal(unknown.statusCode, 202);
  t.same(unknown.json(), known.json(), 'the same answer whether or not the account exists');
  expectEnvelope(t, await forgot('not an email'), 400, 'VALIDATION_ERROR');

  const isReset = (mail: ParsedMail) => mail.subject === 'Reset your SpeakAI password';
  const mail = await findMail(servers.mailDir ?? '', ana.email, isReset);
  const token = linkToken(mail);
  const reset = (password: string) =>
    app.inject({ method: 'POST', url: '/auth/reset-password', payload: { token, password } });
  expectEnvelope(t, await reset('short'), 400, 'WEAK_PASSWORD');
  t.equal((await reset('a brand new passphrase')).statusCode, 200, 'a refused password did not burn the link');
  expectEnvelope(t, await reset('another new passphrase'), 400, 'INVALID_TOKEN');

  const login = (password: string) =>
    app.inject({ method: 'POST', url: '/auth/login', payload: { email: ana.email, password } });
  expectEnvelope(t, await login(ana.password), 401, 'INVALID_CREDENTIALS');
  t.equal((await login('a brand new passphrase')).statusCode, 200);
  const oldSession = await app.inject({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refreshToken: ana.refreshToken },
  });
  expectEnvelope(t, oldSession, 401, 'INVALID_REFRESH_TOKEN');

  await forgot(ana.email);
  await app.orm.em.fork().nativeUpdate(OneTimeToken, { user: ana.id, usedAt: null }, { expiresAt: new Date(1000) });
  const later = await findMail(servers.mailDir ?? '', ana.email, (m) => isReset(m) && linkToken(m) !== token);
  const expiredToken = linkToken(later);
  const expired = await app.inject({
    method: 'POST',
    url: '/auth/reset-password',
    payload: { token: expiredToken, password: 'yet another passphrase' },
  });
  expectEnvelope(t, expired, 400, 'INVALID_TOKEN');
});

t.test('change password: needs the current one, signs out every other session', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  const change = (currentPassword: string, newPassword: string) =>
    app.inject({
      method: 'PUT',
      url: '/auth/change-password',
      headers: bearer(ana.token),
      payload: { currentPassword, newPassword },
    });
  expectEnvelope(t, await change('wrong password!', 'a new long passphrase'), 401, 'INVALID_CREDENTIALS');
  expectEnvelope(t, await change(ana.password, 'short'), 400, 'WEAK_PASSWORD');
  const changed = await change(ana.password, 'a new long passphrase');
  t.equal(changed.statusCode, 200);
  t.ok(changed.json().refreshToken, 'this client gets a fresh session');
  const old = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: ana.refreshToken } });
  expectEnvelope(t, old, 401, 'INVALID_REFRESH_TOKEN');
  const fresh = await app.inject({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refreshToken: changed.json().refreshToken },
  });
  t.equal(fresh.statusCode, 200);
});

t.test('brute force: 5 attempts a minute per client, and per account from any client', async (t) => {
  const { app } = await buildTestApp(t);
  const ana = await register(app, {}).catch(() => undefined);
  t.ok(ana, 'registered (from another client address)');
  const attempt = (remoteAddress: string, password: string) =>
    app.inject({ method: 'POST', url: '/auth/login', remoteAddress, payload: { email: ana?.email, password } });

  for (let i = 0; i < 5; i++) t.equal((await attempt('10.0.0.1', `guess number ${i}`)).statusCode, 401);
  const limited = await attempt('10.0.0.1', ana?.password ?? '');
  expectEnvelope(t, limited, 429, 'RATE_LIMITED');
  t.ok(Number(limited.headers['retry-after']) > 0);

  const fromElsewhere = await attempt('10.0.0.2', 'another guess!!');
  expectEnvelope(t, fromElsewhere, 429, 'TOO_MANY_ATTEMPTS');
  t.comment('five failures lock the account for the window, whichever client tries next');
  const evenRight = await attempt('10.0.0.3', ana?.password ?? '');
  expectEnvelope(t, evenRight, 429, 'TOO_MANY_ATTEMPTS');
});

t.test('verification links: resend replaces the old one; garbage and short tokens are refused', async (t) => {
  const { app, config } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  const outbox = config.mail.driver === 'outbox' ? config.mail.dir : '';
  const first = await findMail(outbox, ana.email);
  const resend = () => app.inject({ method: 'POST', url: '/auth/resend-verification', headers: bearer(ana.token) });
  t.equal((await resend()).statusCode, 202);
  const second = await findMail(outbox, ana.email, (mail) => linkToken(mail) !== linkToken(first));
  const verify = (token: string) => app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token } });
  expectEnvelope(t, await verify(linkToken(first)), 400, 'INVALID_TOKEN');
  t.comment('the earlier link stopped working when a new one was sent');
  expectEnvelope(t, await verify('A'.repeat(43)), 400, 'INVALID_TOKEN');
  expectEnvelope(t, await verify('short'), 400, 'VALIDATION_ERROR');
  t.equal((await verify(linkToken(second))).statusCode, 200);
  expectEnvelope(t, await resend(), 409, 'CONFLICT');
  expectEnvelope(t, await app.inject({ method: 'POST', url: '/auth/resend-verification' }), 401, 'UNAUTHORIZED');
});
