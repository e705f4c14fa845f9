import { Validator } from '@seriousme/openapi-schema-validator';
import t from 'tap';
import { buildTestApp } from './helpers/app.ts';

t.test('liveness and readiness on the embedded defaults', async (t) => {
  const { app } = await buildTestApp(t);
  const live = await app.inject({ url: '/healthz' });
  t.equal(live.statusCode, 200);
  t.equal(live.json().status, 'ok');
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(Object.keys(ready.json().checks).sort(), ['database', 'storage']);
});

t.test('readiness checks PostgreSQL, Redis and S3 when they are configured', async (t) => {
  const { app } = await buildTestApp(t, { database: 'postgresql', redis: true, storage: 's3' });
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(Object.keys(ready.json().checks).sort(), ['database', 'redis', 'storage']);
  t.ok(Object.values(ready.json().checks).every((check) => (check as { status: string }).status === 'ok'));
});

t.test('readiness reports 503 and names what is down', async (t) => {
  const { app } = await buildTestApp(t, { storage: 's3', env: { S3_BUCKET: 'no-such-bucket' } });
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.equal(ready.json().status, 'unavailable');
  t.equal(ready.json().checks.storage.status, 'unavailable');
  t.equal(ready.json().checks.database.status, 'ok');
});

t.test('the OpenAPI document is valid OpenAPI 3 and Swagger UI renders', async (t) => {
  const { app } = await buildTestApp(t);
  const spec = await app.inject({ url: '/docs/json' });
  t.equal(spec.statusCode, 200);
  const document = spec.json();
  const validator = new Validator();
  const result = await validator.validate(document);
  t.ok(result.valid, `valid OpenAPI ${document.openapi}: ${JSON.stringify(result.errors ?? '')}`);
  t.match(document.openapi, /^3\./);
  t.ok(document.components.schemas.ErrorEnvelope, 'the error envelope is a named component');
  type Media = {
    schema?: { $ref?: string };
    example?: { error?: { code?: string } };
    examples?: Record<string, { value: { error: { code: string } } }>;
  };
  type Operation = { tags?: string[]; responses?: Record<string, { content?: Record<string, Media> }> };
  const codesOf = (media: Media | undefined) =>
    media?.example?.error?.code
      ? [media.example.error.code]
      : Object.values(media?.examples ?? {}).map((example) => example.value.error.code);
  for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      t.ok(operation.tags?.length, `${method.toUpperCase()} ${path} is tagged`);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const media = response.content?.['application/json'];
        // /readyz answers 503 with its health report, on purpose: only envelopes need example errors.
        if (Number(status) < 400 || !media?.schema?.$ref?.endsWith('ErrorEnvelope')) continue;
        const codes = codesOf(media);
        t.ok(codes.length > 0, `${method.toUpperCase()} ${path} ${status} has an example error`);
      }
    }
  }
  const analyzeErrors = (document.paths['/speech/analyze'] as Record<string, Operation>).post?.responses ?? {};
  t.same(codesOf(analyzeErrors['422']?.content?.['application/json']), [
    'AUDIO_CORRUPT',
    'AUDIO_EMPTY',
    'AUDIO_NO_SPEECH',
    'UNPRONOUNCEABLE',
    'SPEECH_MISMATCH',
  ]);
  const analyze400 = codesOf(analyzeErrors['400']?.content?.['application/json']);
  t.ok(
    ['UNSUPPORTED_LANGUAGE', 'INVALID_PHONETIC'].every((code) => analyze400.includes(code)),
    analyze400.join(' '),
  );
  const ui = await app.inject({ url: '/docs/' });
  t.equal(ui.statusCode, 200);
  t.match(ui.headers['content-type'], /text\/html/);
  t.match(ui.body, /swagger/i);
});
