import { spawn } from 'node:child_process';
import { request } from 'node:http';
import t from 'tap';
import { loadConfig } from '../src/config.ts';
import { createServer } from '../src/http/server.ts';
import { DATABASES, testEnv } from './helpers/app.ts';
import { startProcess } from './helpers/process.ts';
import { freePort } from './services/process.ts';

function get(port: number, path: string, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { 'x-request-id': id } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

t.test('SIGTERM under load: accepted requests finish, the process exits 0, nothing is lost', async (t) => {
  const port = await freePort();
  // The embedded default as `./speakai start` runs it: PGlite in a directory under DATA_DIR.
  const { PGLITE_DATA_DIR: _inMemory, ...env } = await testEnv(t, { env: { PORT: String(port) } });
  const api = await startProcess('src/server.ts', env, /Server listening/);
  const answered = new Map<string, number>();
  answered.set('docs', await get(port, '/docs/', 'docs'));
  t.equal(answered.get('docs'), 200, 'Swagger UI is served');
  let stopping = false;
  // Each client sends one request after another until the server, gone, refuses the connection.
  const client = async (worker: number) => {
    for (let n = 0; ; n++) {
      const id = `load-${worker}-${n}`;
      try {
        answered.set(id, await get(port, '/readyz', id));
      } catch {
        if (stopping) return;
      }
    }
  };
  const clients = Array.from({ length: 16 }, (_, worker) => client(worker));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  stopping = true;
  api.child.kill('SIGTERM');
  const code = await api.exited;
  await Promise.all(clients);

  t.equal(code, 0, 'the process exits 0');
  const accepted = api.logs.filter((line) => line.msg === 'incoming request').map((line) => String(line.reqId));
  t.ok(accepted.length > 50, `the server was under load (${accepted.length} requests)`);
  const unanswered = accepted.filter((id) => !answered.has(id));
  t.same(unanswered, [], 'every request the server accepted got its response');
  const statuses = new Set([...answered.values()]);
  t.ok(
    [...statuses].every((status) => status === 200 || status === 503),
    `only 200 or 503 (${[...statuses]})`,
  );
  t.same(
    api.logs.filter((line) => Number(line.level) >= 50),
    [],
    'nothing logged at error level',
  );
  t.ok(
    api.logs.some((line) => line.msg === 'shut down cleanly'),
    'the shutdown completed',
  );
});

t.test('npm run worker: a separate process runs the jobs the API enqueues', async (t) => {
  const env = await testEnv(t, { redis: true, mail: 'smtp' });
  const worker = await startProcess('src/worker.ts', env, /worker running jobs/);
  t.teardown(() => {
    worker.child.kill('SIGTERM');
    return worker.exited;
  });
  const api = await createServer(loadConfig({ ...env, RUN_WORKERS: 'false', LOG_LEVEL: 'silent' }));
  t.teardown(() => api.close());
  await api.ready();
  await api.mail.send({ to: 'worker@example.com', subject: 'From the worker', text: 'hello' });
  const deadline = Date.now() + 10_000;
  while (!worker.logs.some((line) => line.msg === 'mail delivered') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.ok(
    worker.logs.some((line) => line.msg === 'mail delivered'),
    'the worker process delivered the mail',
  );
});

t.test('the worker refuses to start without Redis, naming the variable', async (t) => {
  const env = await testEnv(t);
  await t.rejects(startProcess('src/worker.ts', env, /worker running jobs/), /REDIS_URL/);
});

t.test('db:check and db:migrate on both databases', async (t) => {
  for (const database of DATABASES) {
    const env = await testEnv(t, { database, env: { DATABASE_MIGRATE_ON_START: 'false' } });
    const run = (command: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['src/db/cli.ts', command], { env: { PATH: process.env.PATH, ...env } });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.once('exit', (code) => resolve({ code, output }));
      });
    const migrated = await run('up');
    t.equal(migrated.code, 0, `${database}: db:migrate succeeds`);
    t.match(migrated.output, /applied: Migration/, `${database}: and applies the migrations`);
    const checked = await run('check');
    t.equal(checked.code, 0, `${database}: db:check finds no difference`);
    t.match(checked.output, /schema matches the entities/);
  }
});
