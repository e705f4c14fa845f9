import { generateKeyPair, SignJWT } from 'jose';
import { Events, OAuth2Server } from 'oauth2-mock-server';
import t, { type Test } from 'tap';
import { OAuthIdentity, User } from '../src/entities/index.ts';
import { bearer, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';

const APP_URL = 'http://app.speakai.test';

/** A real OpenID Connect provider on loopback: discovery, JWKS, authorization code with PKCE, signed ID tokens. */
async function startProvider(t: Test) {
  const provider = new OAuth2Server();
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
  t.teardown(() => provider.stop());
  const claims: Record<string, unknown> = {};
  provider.service.on(Events.BeforeTokenSigning, (token) => Object.assign(token.payload, claims));
  return { provider, claims, issuer: provider.issuer.url as string };
}

interface Flow {
  state?: (state: string) => string;
  verifier?: (verifier: string) => string;
  formPost?: boolean;
}

/** Drives the browser's part: our start URL, the provider's authorize endpoint, back to our callback. */
async function signIn(app: import('fastify').FastifyInstance, provider: string, flow: Flow = {}) {
  const start = await app.inject({ url: `/auth/oauth/${provider}` });
  if (start.statusCode !== 302) throw new Error(`start: ${start.statusCode} ${start.body}`);
  const cookies = Object.fromEntries(start.cookies.map((cookie) => [cookie.name, cookie.value]));
  for (const name of Object.keys(cookies)) {
    if (name.endsWith('code-verifier') && flow.verifier) cookies[name] = flow.verifier(cookies[name] ?? '');
  }
  const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
  const back = new URL(String(authorize.headers.get('location')));
  const params = Object.fromEntries(back.searchParams);
  if (flow.state) params.state = flow.state(params.state ?? '');
  const callback = flow.formPost
    ? await app.inject({
        method: 'POST',
        url: back.pathname,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(params).toString(),
      })
    : await app.inject({ url: `${back.pathname}?${new URLSearchParams(params)}`, cookies });
  const location = new URL(String(callback.headers.location));
  return {
    status: callback.statusCode,
    location,
    result: Object.fromEntries(new URLSearchParams(location.hash.slice(1))),
  };
}

t.test('Google and Apple sign-in against a real OIDC server on loopback', async (t) => {
  const { provider, claims, issuer } = await startProvider(t);
  const { app } = await buildTestApp(t, {
    env: {
      APP_URL,
      RATE_LIMIT_AUTH_MAX: '100',
      OAUTH_GOOGLE_CLIENT_ID: 'speakai-web',
      OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
      OAUTH_GOOGLE_ISSUER: issuer,
      OAUTH_APPLE_CLIENT_ID: 'speakai-apple',
      OAUTH_APPLE_CLIENT_SECRET: 'apple-secret',
      OAUTH_APPLE_ISSUER: issuer,
    },
  });
  const users = () => app.orm.em.fork().count(User, {});

  t.test('a new learner: account created, signed in', async (t) => {
    Object.assign(claims, { sub: 'google-1', email: 'New.Learner@gmail.com', email_verified: true, given_name: 'Nia' });
    const { status, location, result } = await signIn(app, 'google');
    t.equal(status, 302);
    t.equal(`${location.origin}${location.pathname}`, `${APP_URL}/oauth/callback`);
    t.notOk(location.search, 'nothing secret in the query string');
    t.ok(result.token && result.refreshToken, 'our tokens, in the fragment');
    const me = (await app.inject({ url: '/auth/me', headers: bearer(result.token ?? '') })).json().user;
    t.match(me, { email: 'new.learner@gmail.com', firstName: 'Nia', isEmailVerified: true });

    const again = await signIn(app, 'google');
    const sameMe = (await app.inject({ url: '/auth/me', headers: bearer(again.result.token ?? '') })).json().user;
    t.equal(sameMe.id, me.id, 'the same provider account signs in to the same user');
  });

  t.test('an existing account with the same verified email is linked, not duplicated', async (t) => {
    const ana = await register(app, { email: 'ana.linked@example.com' });
    Object.assign(claims, { sub: 'google-ana', email: 'ana.linked@example.com', email_verified: true });
    const before = await users();
    const { result } = await signIn(app, 'google');
    const me = (await app.inject({ url: '/auth/me', headers: bearer(result.token ?? '') })).json().user;
    t.equal(me.id, ana.id);
    t.equal(await users(), before);
    t.equal(await app.orm.em.fork().count(OAuthIdentity, { user: ana.id, provider: 'google' }), 1);
  });

  t.test('an unverified email is neither linked nor used for a new account', async (t) => {
    Object.assign(claims, { sub: 'google-unverified', email: 'ana.linked@example.com', email_verified: false });
    const before = await users();
    t.same((await signIn(app, 'google')).result, { error: 'OAUTH_EMAIL_UNVERIFIED' });
    t.equal(await users(), before);
  });

  t.test('a tampered state or PKCE verifier fails the flow', async (t) => {
    Object.assign(claims, { sub: 'google-tamper', email: 'tamper@example.com', email_verified: true });
    const before = await users();
    t.same((await signIn(app, 'google', { state: (s) => `${s}x` })).result, { error: 'OAUTH_FAILED' });
    const badVerifier = await signIn(app, 'google', { verifier: (v) => `${v.slice(0, -4)}AAAA` });
    t.same(badVerifier.result, { error: 'OAUTH_FAILED' }, 'the provider refuses a code without its verifier');
    t.equal(await users(), before, 'no account was created');
  });

  t.test('an ID token not signed by the provider is refused', async (t) => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'google-forged', email: 'forged@example.com', email_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(issuer)
      .setAudience('speakai-web')
      .setExpirationTime('5m')
      .sign(privateKey);
    provider.service.once(Events.BeforeResponse, (response) => {
      (response.body as Record<string, unknown>).id_token = forged;
    });
    const before = await users();
    t.same((await signIn(app, 'google')).result, { error: 'OAUTH_FAILED' });
    t.equal(await users(), before);
  });

  t.test('Apple answers with a form post', async (t) => {
    Object.assign(claims, { sub: 'apple-1', email: 'relay@privaterelay.appleid.com', email_verified: 'true' });
    const { result } = await signIn(app, 'apple', { formPost: true });
    t.ok(result.token, 'signed in');
    t.equal(await app.orm.em.fork().count(OAuthIdentity, { provider: 'apple', subject: 'apple-1' }), 1);
  });
});
