import t from 'tap';
import type { InProcessQueue } from '../src/jobs/in-process-queue.ts';
import { buildTestApp } from './helpers/app.ts';
import { eventually } from './helpers/eventually.ts';

for (const redis of [false, true]) {
  const backend = redis ? 'bullmq' : 'in-process';

  t.test(`${backend}: jobs run, and failing ones are retried with backoff until they succeed`, async (t) => {
    const runs: Array<{ attempt: number; at: number }> = [];
    const { app } = await buildTestApp(t, {
      redis,
      env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50' },
      routes: (app) =>
        app.jobs.define<{ failTimes: number }>('test.flaky', async (data, { attempt }) => {
          runs.push({ attempt, at: Date.now() });
          if (attempt <= data.failTimes) throw new Error(`failure ${attempt}`);
        }),
    });
    t.equal(app.jobs.backend, backend);
    await app.jobs.enqueue('test.flaky', { failTimes: 2 });
    await eventually(() => runs.length === 3);
    t.same(
      runs.map((run) => run.attempt),
      [1, 2, 3],
    );
    t.ok((runs[2]?.at ?? 0) - (runs[1]?.at ?? 0) >= 90, 'the second retry waits twice the first backoff');
  });

  t.test(`${backend}: a job that keeps failing stops after its attempts`, async (t) => {
    let runs = 0;
    const { app, logs } = await buildTestApp(t, {
      redis,
      env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '10' },
      routes: (app) =>
        app.jobs.define('test.broken', async () => {
          runs++;
          throw new Error('always broken');
        }),
    });
    await app.jobs.enqueue('test.broken', {});
    await eventually(() => runs === 2 && logs.some((line) => /always broken/.test(JSON.stringify(line))));
    await new Promise((resolve) => setTimeout(resolve, 200));
    t.equal(runs, 2, 'no third attempt');
  });

  t.test(`${backend}: an unknown job is refused at once`, async (t) => {
    const { app } = await buildTestApp(t, { redis });
    await t.rejects(app.jobs.enqueue('no.such.job', {}), { name: 'UnknownJobError' });
  });
}

t.test('in-process: a job starts after the turn of the code that queued it', async (t) => {
  let started = false;
  const { app } = await buildTestApp(t, {
    routes: (app) =>
      app.jobs.define('test.quick', async () => {
        started = true;
      }),
  });
  await app.jobs.enqueue('test.quick', {});
  t.equal(started, false, 'enqueue has returned before the handler ran');
  await (app.jobs as InProcessQueue).idle();
  t.equal(started, true, 'and it ran soon after');
});

t.test('in-process: closing runs what is still queued, retries included', async (t) => {
  const done: number[] = [];
  const { app } = await buildTestApp(t, {
    env: { JOB_CONCURRENCY: '1', JOB_BACKOFF_MS: '60000' },
    routes: (app) =>
      app.jobs.define<{ n: number }>('test.slow', async ({ n }, { attempt }) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (n === 0 && attempt === 1) throw new Error('first try fails');
        done.push(n);
      }),
  });
  for (const n of [0, 1, 2, 3]) await app.jobs.enqueue('test.slow', { n });
  await (app.jobs as InProcessQueue).close();
  t.same(done.sort(), [0, 1, 2, 3], 'every job ran before close resolved, the one waiting a minute to retry too');
});

t.test('bullmq: the API enqueues and a separate worker process runs the job', async (t) => {
  const seen: string[] = [];
  const define = (runner: string) => (app: import('fastify').FastifyInstance) =>
    app.jobs.define<{ text: string }>('test.scale-out', async ({ text }) => {
      seen.push(`${runner}:${text}`);
    });
  const prefix = `scaleout_${Date.now()}`;
  const env = { REDIS_PREFIX: prefix };
  const api = await buildTestApp(t, { redis: true, env: { ...env, RUN_WORKERS: 'false' }, routes: define('api') });
  await buildTestApp(t, { redis: true, env: { ...env, RUN_WORKERS: 'true' }, routes: define('worker') });
  await api.app.jobs.enqueue('test.scale-out', { text: 'hello' });
  await eventually(() => seen.length === 1);
  t.same(seen, ['worker:hello'], 'only the worker ran it');
});
