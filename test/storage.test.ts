import { text } from 'node:stream/consumers';
import t from 'tap';
import { buildTestApp } from './helpers/app.ts';

for (const backend of ['local', 's3'] as const) {
  t.test(`${backend}: objects are written, read, served by URL and erased by prefix`, async (t) => {
    const { app } = await buildTestApp(t, { storage: backend });
    const { storage } = app;
    t.equal(storage.backend, backend);

    await storage.put('users/u1/avatar.webp', Buffer.from('avatar bytes'), 'image/webp');
    await storage.put('users/u1/audio/a1.webm', Buffer.from('audio bytes'), 'audio/webm');
    await storage.put('users/u2/audio/a2.webm', Buffer.from('other user'), 'audio/webm');

    const object = await storage.get('users/u1/avatar.webp');
    t.equal(object?.contentType, 'image/webp');
    t.equal(object && (await text(object.body)), 'avatar bytes');
    t.equal(await storage.get('users/u1/missing.webp'), null, 'a missing object is null, not an error');

    const url = await storage.url('users/u1/audio/a1.webm');
    const fetched =
      backend === 'local'
        ? await app.inject({ url: url.slice(url.indexOf('/files/')) }).then((res) => ({
            status: res.statusCode,
            body: res.body,
            type: res.headers['content-type'],
          }))
        : await fetch(url).then(async (res) => ({
            status: res.status,
            body: await res.text(),
            type: res.headers.get('content-type'),
          }));
    t.equal(fetched.status, 200, 'the URL serves the object');
    t.equal(fetched.body, 'audio bytes');
    t.equal(fetched.type, 'audio/webm');

    t.equal(await storage.deletePrefix('users/u1/'), 2, "both of u1's objects are erased");
    t.equal(await storage.get('users/u1/audio/a1.webm'), null);
    t.ok(await storage.get('users/u2/audio/a2.webm'), "u2's object is untouched");

    for (const key of ['../etc/passwd', 'users//x', '/abs', 'users/u1/', 'a\nb', 'users/./x']) {
      await t.rejects(
        storage.put(key, Buffer.from('x'), 'text/plain'),
        /Invalid storage key/,
        `refuses ${JSON.stringify(key)}`,
      );
    }
  });
}

t.test('local: signed URLs refuse tampering and expiry', async (t) => {
  const { app } = await buildTestApp(t, { env: { STORAGE_URL_TTL_SECONDS: '1' } });
  await app.storage.put('users/u1/a.txt', Buffer.from('secret'), 'text/plain');
  await app.storage.put('users/u2/b.txt', Buffer.from('other'), 'text/plain');
  const url = await app.storage.url('users/u1/a.txt');
  const path = url.slice(url.indexOf('/files/'));
  t.equal((await app.inject({ url: path })).statusCode, 200);
  const otherKey = await app.inject({ url: path.replace('users/u1/a.txt', 'users/u2/b.txt') });
  t.equal(otherKey.statusCode, 403, "a signature does not open another user's file");
  t.equal(otherKey.json().error.code, 'INVALID_SIGNATURE');
  const tampered = await app.inject({ url: path.replace(/signature=./, 'signature=A') });
  t.equal(tampered.statusCode, 403);
  const unsigned = await app.inject({ url: '/files/users/u1/a.txt' });
  t.equal(unsigned.statusCode, 400, 'no signature at all is a bad request');
  await new Promise((resolve) => setTimeout(resolve, 2100));
  t.equal((await app.inject({ url: path })).statusCode, 403, 'an expired link is refused');
});
