import { request } from 'node:http';
import t from 'tap';
import { buildTestApp } from './helpers/app.ts';

t.test('a handler whose client hung up still finishes before the database closes', async (t) => {
  const events: string[] = [];
  const { app } = await buildTestApp(t, {
    routes: (app) =>
      app.get('/test/slow', async (req) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await req.em.getConnection().execute('select 1');
        events.push('handler finished');
        return { ok: true };
      }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const client = request({ host: '127.0.0.1', port, path: '/test/slow' });
  client.on('error', () => {});
  client.end();
  await new Promise((resolve) => setTimeout(resolve, 100));
  client.destroy();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await app.close();
  events.push('closed');
  t.same(events, ['handler finished', 'closed'], 'close waited for the handler');
});
