import t from 'tap';
import { bearer, register, updateUser } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

t.test('admin: find users, page through them, suspend and reactivate', async (t) => {
  const { app } = await buildTestApp(t, { database: 'postgresql', env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const admin = await register(app, { firstName: 'Root' });
  await updateUser(app, admin.id, { role: 'admin' });
  const learners = [];
  for (let i = 0; i < 5; i++) learners.push(await register(app, { firstName: i % 2 ? 'Odd' : 'Even_one' }));
  const get = (url: string, token = admin.token) => app.inject({ url, headers: bearer(token) });

  const seen: string[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page = await get(`/admin/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    t.equal(page.statusCode, 200);
    seen.push(...page.json().items.map((user: { id: string }) => user.id));
    cursor = page.json().nextCursor;
  }
  t.equal(seen.length, 6, 'every user once, across pages');
  t.equal(new Set(seen).size, 6, 'no user twice');
  t.equal(seen[0], learners.at(-1)?.id, 'newest first');

  t.equal((await get('/admin/users?q=odd')).json().items.length, 2, 'search by name, any case');
  t.equal((await get('/admin/users?q=_one')).json().items.length, 3, 'LIKE wildcards in the query are literal');
  t.equal((await get('/admin/users?role=admin')).json().items[0].id, admin.id);

  const target = learners[0]?.id ?? '';
  t.equal((await get(`/admin/users/${target}`)).json().id, target);
  const suspend = await app.inject({
    method: 'PUT',
    url: `/admin/users/${target}/status`,
    headers: bearer(admin.token),
    payload: { status: 'suspended', reason: 'spam' },
  });
  t.equal(suspend.json().status, 'suspended');
  expectEnvelope(t, await get('/auth/me', learners[0]?.token), 403, 'ACCOUNT_SUSPENDED');
  t.equal((await get('/admin/users?status=suspended')).json().items.length, 1);
  const refresh = await app.inject({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refreshToken: learners[0]?.refreshToken },
  });
  expectEnvelope(t, refresh, 401, 'INVALID_REFRESH_TOKEN');
  await app.inject({
    method: 'PUT',
    url: `/admin/users/${target}/status`,
    headers: bearer(admin.token),
    payload: { status: 'active' },
  });
  t.equal((await get('/auth/me', learners[0]?.token)).statusCode, 200, 'reactivated at once');
});

t.test('admin routes refuse learners and bad input', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const admin = await register(app);
  await updateUser(app, admin.id, { role: 'admin' });
  const learner = await register(app);
  const as = (token: string, url: string, method: 'GET' | 'PUT' = 'GET', payload?: object) =>
    app.inject({ method, url, headers: bearer(token), payload });

  expectEnvelope(t, await as(learner.token, '/admin/users'), 403, 'FORBIDDEN');
  expectEnvelope(t, await as(learner.token, `/admin/users/${admin.id}`), 403, 'FORBIDDEN');
  expectEnvelope(
    t,
    await as(learner.token, `/admin/users/${admin.id}/status`, 'PUT', { status: 'suspended' }),
    403,
    'FORBIDDEN',
  );
  expectEnvelope(t, await app.inject({ url: '/admin/users' }), 401, 'UNAUTHORIZED');

  for (const url of [
    '/admin/users?limit=0',
    '/admin/users?limit=1000',
    '/admin/users?status=gone',
    '/admin/users?x=1',
  ]) {
    expectEnvelope(t, await as(admin.token, url), 400, 'VALIDATION_ERROR');
  }
  expectEnvelope(t, await as(admin.token, '/admin/users?cursor=bm9wZQ'), 400, 'BAD_REQUEST');
  expectEnvelope(t, await as(admin.token, '/admin/users/not-a-uuid'), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await as(admin.token, '/admin/users/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  const status = (payload: object, id = learner.id) => as(admin.token, `/admin/users/${id}/status`, 'PUT', payload);
  expectEnvelope(t, await status({ status: 'banned' }), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await status({}), 400, 'VALIDATION_ERROR');
  expectEnvelope(t, await status({ status: 'suspended' }, admin.id), 409, 'CONFLICT');
});
