import t from 'tap';
import { buildTestApp } from './helpers/app.ts';

for (const redis of [false, true]) {
  t.test(`${redis ? 'redis' : 'memory'}: values round-trip and expire by their scope's TTL`, async (t) => {
    const { app } = await buildTestApp(t, { redis, env: { CACHE_TTL_API_SECONDS: '1' } });
    const { cache } = app;
    await cache.set('lesson', 'lesson:1', { title: 'Vowels', words: ['ship', 'sheep'] });
    t.same(await cache.get('lesson:1'), { title: 'Vowels', words: ['ship', 'sheep'] });
    t.equal(await cache.get('nothing'), undefined);

    let computed = 0;
    const compute = async () => ++computed;
    t.equal(await cache.wrap('api', 'answer', compute), 1);
    t.equal(await cache.wrap('api', 'answer', compute), 1, 'the second call is served from the cache');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    t.equal(await cache.wrap('api', 'answer', compute), 2, 'after the TTL it is computed again');
    t.same(await cache.get('lesson:1'), { title: 'Vowels', words: ['ship', 'sheep'] }, 'a longer scope lives on');

    await cache.delete('lesson:1', 'answer');
    t.equal(await cache.get('lesson:1'), undefined);
  });

  t.test(`${redis ? 'redis' : 'memory'}: a TTL of 0 turns a scope off`, async (t) => {
    const { app } = await buildTestApp(t, { redis, env: { CACHE_TTL_ANALYSIS_SECONDS: '0' } });
    await app.cache.set('analysis', 'a', { score: 1 });
    t.equal(await app.cache.get('a'), undefined);
  });
}
