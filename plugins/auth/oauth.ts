import cookie from '@fastify/cookie';
import oauth2, { type OAuth2Namespace } from '@fastify/oauth2';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { OAuthClient, OAuthProvider } from '../../src/config.ts';
import { OAuthIdentity, User, UserPreferences } from '../../src/entities/index.ts';
import { AppError } from '../../src/errors.ts';
import type { Sessions } from './sessions.ts';

interface IdentityClaims {
  subject: string;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
}

/** Verifies the provider's ID token: its signature against the provider's published keys, issuer and audience. */
function idTokenVerifier(client: OAuthClient) {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  return async (idToken: unknown): Promise<IdentityClaims> => {
    if (typeof idToken !== 'string') throw new AppError(401, 'OAUTH_FAILED', 'The provider sent no ID token');
    if (!keys) {
      const discovery = await fetch(`${client.issuer}/.well-known/openid-configuration`);
      const { jwks_uri: jwksUri } = (await discovery.json()) as { jwks_uri: string };
      keys = createRemoteJWKSet(new URL(jwksUri));
    }
    const { payload } = await jwtVerify(idToken, keys, { issuer: client.issuer, audience: client.clientId });
    return readClaims(payload);
  };
}

function readClaims(payload: JWTPayload): IdentityClaims {
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : undefined);
  if (!payload.sub) throw new AppError(401, 'OAUTH_FAILED', 'The ID token names no subject');
  return {
    subject: payload.sub,
    email: text('email')?.toLowerCase(),
    // Apple sends "true" as a string.
    emailVerified: payload.email_verified === true || payload.email_verified === 'true',
    firstName: text('given_name'),
    lastName: text('family_name'),
  };
}

/**
 * The provider's account decides who signs in: a linked identity first; else the account with the same email, which
 * the provider must have verified (or anyone could claim an address); else a new account.
 */
async function accountFor(em: SqlEntityManager, provider: OAuthProvider, claims: IdentityClaims): Promise<User> {
  const linked = await em.findOne(OAuthIdentity, { provider, subject: claims.subject }, { populate: ['user'] });
  if (linked) return linked.user as User;
  if (!claims.email || !claims.emailVerified) {
    throw new AppError(403, 'OAUTH_EMAIL_UNVERIFIED', 'The provider has not verified this email address');
  }
  const existing = await em.findOne(User, { email: claims.email });
  const user =
    existing ??
    em.create(User, {
      email: claims.email,
      firstName: claims.firstName,
      lastName: claims.lastName,
      // Unknown until the learner says: the frontend asks on first sign-in ("und" is BCP 47 for undetermined).
      nativeLanguage: 'und',
      learningLanguage: 'en',
      isEmailVerified: true,
    });
  if (!existing) em.create(UserPreferences, { user });
  em.create(OAuthIdentity, { user, provider, subject: claims.subject, email: claims.email });
  return user;
}

/**
 * Sign-in with Google and Apple: authorization code with PKCE through @fastify/oauth2, state and verifier in
 * short-lived cookies. The callback hands our own tokens to the frontend in the URL fragment, which browsers never
 * send to a server or write to a log; failures go back the same way as `#error=CODE`.
 */
export async function registerOAuth(fastify: FastifyInstance, sessions: Sessions) {
  const clients = Object.entries(fastify.config.auth.oauth) as Array<[OAuthProvider, OAuthClient]>;
  if (clients.length === 0) return;
  const { appUrl, publicUrl, env } = fastify.config;
  await fastify.register(cookie);
  // Apple posts its answer as a form (response_mode=form_post).
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const finish = (reply: FastifyReply, fragment: Record<string, string>) =>
    reply.redirect(`${appUrl}/oauth/callback#${new URLSearchParams(fragment)}`);

  for (const [provider, client] of clients) {
    const name = `${provider}OAuth2`;
    const formPost = provider === 'apple';
    await fastify.register(oauth2, {
      name,
      scope: formPost ? ['openid', 'email', 'name'] : ['openid', 'email', 'profile'],
      credentials: { client: { id: client.clientId, secret: client.clientSecret } },
      discovery: { issuer: client.issuer },
      pkce: 'S256',
      startRedirectPath: `/oauth/${provider}`,
      callbackUri: `${publicUrl}/auth/oauth/${provider}/callback`,
      callbackUriParams: formPost ? { response_mode: 'form_post' } : {},
      // A cross-site form post carries cookies only when they are SameSite=None (which browsers allow on HTTPS).
      cookie: { path: '/auth/oauth', secure: env === 'production' || formPost, sameSite: formPost ? 'none' : 'lax' },
      schema: { tags: ['auth'], summary: `Start signing in with ${provider} (redirects to the provider)` },
    });
    const verify = idTokenVerifier(client);
    const namespace = () => (fastify as unknown as Record<string, OAuth2Namespace>)[name] as OAuth2Namespace;

    const callback = async (request: FastifyRequest, reply: FastifyReply) => {
      // The form-post answer arrives in the body; the library reads the query.
      if (request.method === 'POST') request.query = request.body;
      try {
        const { token } = await namespace().getAccessTokenFromAuthorizationCodeFlow(request, reply);
        const user = await accountFor(request.em, provider, await verify(token.id_token));
        if (user.status === 'suspended') throw new AppError(403, 'ACCOUNT_SUSPENDED', 'This account is suspended');
        user.lastLoginAt = new Date();
        const pair = sessions.start(request.em, user, request.headers['user-agent']);
        await request.em.flush();
        return finish(reply, { token: pair.token, refreshToken: pair.refreshToken });
      } catch (error) {
        request.log.warn({ err: error, provider }, 'oauth sign-in failed');
        return finish(reply, { error: error instanceof AppError ? error.code : 'OAUTH_FAILED' });
      }
    };
    const schema = { tags: ['auth'], summary: `Where ${provider} sends the browser back`, hide: true };
    fastify.get(`/oauth/${provider}/callback`, { schema }, callback);
    if (formPost) fastify.post(`/oauth/${provider}/callback`, { schema }, callback);
  }
}
