import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import t from 'tap';
import { PracticeSession, WordAttempt } from '../src/entities/index.ts';
import type { S3Storage } from '../src/storage/s3-storage.ts';
import { bearer, type Registered, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';
import { multipart } from './helpers/multipart.ts';
import { withClient } from './helpers/services.ts';

const relaxed = { RATE_LIMIT_AUTH_MAX: '100' };

async function photo(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'secret-exif-marker', Artist: 'Ana' } })
    .toBuffer();
}

const upload = (app: import('fastify').FastifyInstance, who: Registered, data: Buffer, contentType = 'image/jpeg') => {
  const form = multipart({}, { field: 'avatar', filename: 'me.jpg', contentType, data });
  return app.inject({
    method: 'POST',
    url: '/users/upload-avatar',
    headers: { ...form.headers, ...bearer(who.token) },
    payload: form.payload,
  });
};

t.test('avatar: re-encoded, stripped of metadata, replaced cleanly', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  const original = await photo();
  t.match(original.toString('latin1'), /secret-exif-marker/, 'the upload carries EXIF');

  const res = await upload(app, ana, original);
  t.equal(res.statusCode, 200);
  const url = new URL(res.json().avatarUrl);
  const served = await app.inject({ url: url.pathname + url.search });
  t.equal(served.headers['content-type'], 'image/webp');
  const meta = await sharp(served.rawPayload).metadata();
  t.match(meta, { format: 'webp', width: 512, height: 512 });
  t.notOk(meta.exif, 'no EXIF block');
  t.notMatch(served.rawPayload.toString('latin1'), /secret-exif-marker/, 'nothing of the metadata survives');

  const first = url.pathname;
  const second = new URL((await upload(app, ana, await photo(300, 900))).json().avatarUrl);
  t.not(second.pathname, first, 'a new key, so caches never serve the old picture');
  t.equal(await app.storage.get(first.replace('/files/', '')), null, 'the old picture is deleted');
});

t.test('avatar: bad uploads are refused and store nothing', async (t) => {
  const { app, config } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app);
  expectEnvelope(
    t,
    await upload(app, ana, Buffer.from('<?php echo "hi"; ?>'), 'image/png'),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  );
  expectEnvelope(t, await upload(app, ana, Buffer.from('GIF89a broken')), 415, 'UNSUPPORTED_MEDIA_TYPE');
  expectEnvelope(t, await upload(app, ana, Buffer.alloc(6 * 1024 * 1024, 0xff)), 413, 'PAYLOAD_TOO_LARGE');
  const truncated = (await photo()).subarray(0, 400);
  t.ok([415, 422].includes((await upload(app, ana, truncated)).statusCode), 'a truncated JPEG is refused');

  const noFile = multipart({ note: 'hello' });
  const res = await app.inject({
    method: 'POST',
    url: '/users/upload-avatar',
    headers: { ...noFile.headers, ...bearer(ana.token) },
    payload: noFile.payload,
  });
  expectEnvelope(t, res, 400, 'BAD_REQUEST');
  const json = await app.inject({
    method: 'POST',
    url: '/users/upload-avatar',
    headers: bearer(ana.token),
    payload: {},
  });
  expectEnvelope(t, json, 415, 'UNSUPPORTED_MEDIA_TYPE');
  const anonymous = await upload(app, { ...ana, token: 'nope' }, await photo());
  expectEnvelope(t, anonymous, 401, 'INVALID_TOKEN');

  const { readdir } = await import('node:fs/promises');
  const stored = await readdir(config.storage.driver === 'local' ? config.storage.dir : '', { recursive: true });
  t.same(
    stored.filter((name) => name.endsWith('.webp')),
    [],
    'no object was stored',
  );
  t.equal((await app.inject({ url: '/users/profile', headers: bearer(ana.token) })).json().avatarUrl, null);
});

t.test('export: everything about me, no secrets', async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const ana = await register(app, { firstName: 'Ana' });
  const em = app.orm.em.fork();
  const session = em.create(PracticeSession, { user: ana.id, duration: 300, accuracy: 77, wordsCount: 2 });
  em.create(WordAttempt, { user: ana.id, session, word: 'three', accuracy: 64 });
  await em.flush();

  const res = await app.inject({ url: '/users/export', headers: bearer(ana.token) });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-disposition'], /attachment; filename="speakai-export-/);
  const data = res.json();
  t.equal(data.user.email, ana.email);
  t.equal(data.preferences.dailyGoalMinutes, 15);
  t.equal(data.practiceSessions.length, 1);
  t.match(data.wordAttempts, [{ word: 'three', accuracy: 64 }]);
  t.equal(data.activeSessions.length, 1, 'the sign-in this token came from');
  t.notMatch(res.body, /argon2|tokenHash|passwordHash|mfaSecret/, 'no secret leaves');
  expectEnvelope(t, await app.inject({ url: '/users/export' }), 401, 'UNAUTHORIZED');
});

t.test('account deletion leaves no row in PostgreSQL and no object in S3', async (t) => {
  const { app, config } = await buildTestApp(t, { database: 'postgresql', storage: 's3', env: relaxed });
  const ana = await register(app);
  const bo = await register(app);
  await upload(app, ana, await photo());
  await upload(app, bo, await photo());
  await app.storage.put(`users/${ana.id}/recordings/r1.webm`, Buffer.from('audio'), 'audio/webm');
  const em = app.orm.em.fork();
  em.create(WordAttempt, {
    user: ana.id,
    session: em.create(PracticeSession, { user: ana.id, duration: 60, accuracy: 90, wordsCount: 1 }),
    word: 'ship',
    accuracy: 90,
  });
  await em.flush();

  const remove = (payload: object) =>
    app.inject({ method: 'DELETE', url: '/users/account', headers: bearer(ana.token), payload });
  expectEnvelope(t, await remove({}), 401, 'INVALID_CREDENTIALS');
  expectEnvelope(t, await remove({ password: 'not my password' }), 401, 'INVALID_CREDENTIALS');
  expectEnvelope(t, await remove({ password: ana.password, extra: 1 }), 400, 'VALIDATION_ERROR');
  t.equal((await remove({ password: ana.password })).statusCode, 204);

  const url = config.database.driver === 'postgresql' ? config.database.url : '';
  const leftovers = await withClient(url, async (client) => {
    const tables = await client.query(
      `select table_name, column_name from information_schema.columns
       where table_schema = 'public' and column_name in ('user_id', 'id') and table_name <> 'mikro_orm_migrations'`,
    );
    let rows = 0;
    for (const { table_name: table, column_name: column } of tables.rows) {
      const found = await client.query(`select count(*)::int as n from "${table}" where "${column}"::text = $1`, [
        ana.id,
      ]);
      rows += found.rows[0].n;
    }
    const attempts = await client.query('select count(*)::int as n from word_attempts where word = $1', ['ship']);
    return rows + attempts.rows[0].n;
  });
  t.equal(leftovers, 0, 'no row of hers in any table');

  const s3 = (app.storage as S3Storage).client;
  const bucket = config.storage.driver === 's3' ? config.storage.bucket : '';
  const list = (prefix: string) => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  t.equal((await list(`users/${ana.id}/`)).KeyCount ?? 0, 0, 'no object of hers in the bucket');
  t.equal((await list(`users/${bo.id}/`)).KeyCount, 1, "Bo's avatar is still there");

  expectEnvelope(t, await app.inject({ url: '/auth/me', headers: bearer(ana.token) }), 401, 'INVALID_TOKEN');
  const login = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: ana.email, password: ana.password },
  });
  expectEnvelope(t, login, 401, 'INVALID_CREDENTIALS');
});
