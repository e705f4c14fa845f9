import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { User } from '../entities/index.ts';
import { AppError, forbidden, unauthorized } from '../errors.ts';
import { isUuid } from '../ids.ts';

export type Role = 'user' | 'admin';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

interface AccountState {
  status: 'active' | 'suspended';
  role: Role;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: a valid access token of an existing, active account (checked before the body is read). */
    authenticate(request: FastifyRequest): Promise<void>;
    /** onRequest hook factory: as authenticate, and the account has one of these roles now. */
    requireRole(...roles: Role[]): (request: FastifyRequest) => Promise<void>;
    /** Drops what authenticate remembers of an account, after its status, role or existence changed. */
    forgetAccount(userId: string): Promise<void>;
  }
}

const accountKey = (userId: string) => `account:${userId}`;

async function authentication(fastify: FastifyInstance) {
  await fastify.register(jwt, {
    secret: fastify.config.secrets.jwt,
    // Pinning the algorithm refuses `alg: none` and key-confusion tokens outright.
    sign: { algorithm: 'HS256', expiresIn: fastify.config.auth.accessTokenTtlSeconds },
    verify: { algorithms: ['HS256'] },
  });

  /** The account as it is now: a suspension or a demotion applies at once, not when the token expires. */
  async function accountState(request: FastifyRequest, userId: string): Promise<AccountState | null> {
    const cached = await fastify.cache.get<AccountState>(accountKey(userId));
    if (cached) return cached;
    const user = await request.em.findOne(User, userId, { fields: ['status', 'role'] });
    if (!user) return null;
    const state = { status: user.status, role: user.role };
    await fastify.cache.set('session', accountKey(userId), state);
    return state;
  }

  async function authenticate(request: FastifyRequest) {
    if (!request.headers.authorization) throw unauthorized();
    try {
      await request.jwtVerify();
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
      throw expired
        ? unauthorized('The access token has expired; refresh it', 'TOKEN_EXPIRED')
        : unauthorized('The access token is invalid', 'INVALID_TOKEN');
    }
    // Only we sign tokens, but a subject that is not one of our ids must not reach the database as one.
    if (!isUuid(request.user.sub)) throw unauthorized('The access token is invalid', 'INVALID_TOKEN');
    const state = await accountState(request, request.user.sub);
    if (!state) throw unauthorized('This account no longer exists', 'INVALID_TOKEN');
    if (state.status === 'suspended') throw new AppError(403, 'ACCOUNT_SUSPENDED', 'This account is suspended');
    request.user.role = state.role;
  }

  fastify.decorate('authenticate', authenticate);
  fastify.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest) => {
    await authenticate(request);
    if (!roles.includes(request.user.role)) throw forbidden();
  });
  fastify.decorate('forgetAccount', (userId: string) => fastify.cache.delete(accountKey(userId)));
}

export default fp(authentication, { name: 'authentication', dependencies: ['errors', 'db', 'cache'] });
