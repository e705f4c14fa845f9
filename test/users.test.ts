import t from 'tap';
import { bearer, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

t.test('profile: read and change my own, and only mine', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const ana = await register(app, { firstName: 'Ana' });
  const bo = await register(app, { firstName: 'Bo' });

  const mine = await app.inject({ url: '/users/profile', headers: bearer(ana.token) });
  t.equal(mine.statusCode, 200);
  t.equal(mine.json().firstName, 'Ana');
  t.equal((await app.inject({ url: '/users/profile', headers: bearer(bo.token) })).json().firstName, 'Bo');

  const put = (payload: unknown, token = ana.token) =>
    app.inject({ method: 'PUT', url: '/users/profile', headers: bearer(token), payload: payload as object });
  const changed = await put({ lastName: 'García', learningLanguage: 'fr' });
  t.equal(changed.statusCode, 200);
  t.equal(changed.json().lastName, 'García');
  t.equal(changed.json().learningLanguage, 'fr');
  t.equal((await put({ lastName: null })).json().lastName, null, 'null clears a name');

  expectEnvelope(t, await put({}), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await put({ email: 'new@example.com' }), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await put({ role: 'admin' }), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await put({ firstName: 'x'.repeat(101) }), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await put({ nativeLanguage: 12 }), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await app.inject({ url: '/users/profile' }), 401, 'UNAUTHORIZED');
  t.equal(
    (await app.inject({ url: '/users/profile', headers: bearer(bo.token) })).json().lastName,
    null,
    "Bo's is untouched",
  );
});

t.test('preferences: the spec defaults, partial updates, strict validation', async (t) => {
  const { app } = await buildTestApp(t, { database: 'postgresql', env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const ana = await register(app);
  const get = await app.inject({ url: '/users/preferences', headers: bearer(ana.token) });
  t.same(get.json(), {
    dailyGoalMinutes: 15,
    reminderEnabled: true,
    reminderTime: null,
    difficultyPreference: 'adaptive',
    audioQuality: 'high',
  });
  const put = (payload: unknown) =>
    app.inject({ method: 'PUT', url: '/users/preferences', headers: bearer(ana.token), payload: payload as object });
  const changed = await put({ dailyGoalMinutes: 30, reminderTime: '19:30', audioQuality: 'medium' });
  t.equal(changed.statusCode, 200);
  t.match(changed.json(), {
    dailyGoalMinutes: 30,
    reminderTime: '19:30',
    audioQuality: 'medium',
    reminderEnabled: true,
  });
  t.same(
    (await app.inject({ url: '/users/preferences', headers: bearer(ana.token) })).json(),
    changed.json(),
    'stored',
  );

  for (const bad of [
    {},
    { dailyGoalMinutes: 0 },
    { dailyGoalMinutes: 'ten' },
    { reminderTime: '25:00' },
    { difficultyPreference: 'extreme' },
    { audioQuality: 'lossless' },
    { theme: 'dark' },
  ]) {
    expectEnvelope(t, await put(bad), 400, 'VALIDATION_ERROR');
  }
  expectEnvelope(t, await app.inject({ method: 'PUT', url: '/users/preferences', payload: {} }), 401, 'UNAUTHORIZED');
});
