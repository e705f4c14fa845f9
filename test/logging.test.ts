import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { redactUrl } from '../src/logger.ts';
import { buildTestApp } from './helpers/app.ts';

const SECRETS = ['s3cr3t-bearer-token', 'cookie-session-value', 'Hunter2-password', 'refresh-opaque-value'];

function routes(app: FastifyInstance) {
  // A handler that logs what it was sent, as a careless domain might: the logger must still protect the secrets.
  app.post('/test/careless', async (request) => {
    request.log.info({ body: request.body }, 'received');
    throw new Error('failed while handling the body');
  });
}

t.test('secrets never reach the logs', async (t) => {
  const { app, logs } = await buildTestApp(t, { routes });
  const res = await app.inject({
    method: 'POST',
    url: '/test/careless?token=one-time-link-token&page=2',
    headers: { authorization: `Bearer ${SECRETS[0]}`, cookie: `session=${SECRETS[1]}` },
    payload: { email: 'learner@example.com', password: SECRETS[2], refreshToken: SECRETS[3] },
  });
  t.equal(res.statusCode, 500);
  const text = JSON.stringify(logs);
  for (const secret of [...SECRETS, 'one-time-link-token']) t.notMatch(text, secret, `${secret} is not logged`);
  t.match(text, /\[Redacted\]/, 'redacted fields are marked');
  t.match(text, /learner@example\.com/, 'what is not secret is still logged');
  t.match(text, /page=2/, 'the rest of the query is kept');
});

t.test('one-time secrets in URLs are masked', async (t) => {
  t.equal(redactUrl('/auth/verify-email?token=abc&x=1'), '/auth/verify-email?token=[Redacted]&x=1');
  t.equal(redactUrl('/oauth/callback?state=s&code=c'), '/oauth/callback?state=[Redacted]&code=[Redacted]');
  t.equal(redactUrl('/lessons?q=tokenizer'), '/lessons?q=tokenizer');
});
