import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../errors.ts';

export interface AccessTokenClaims {
  sub: string;
  role: 'user' | 'admin';
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid access token is required. */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** preHandler factory: a valid access token of one of these roles is required. */
    requireRole(...roles: AccessTokenClaims['role'][]): (request: FastifyRequest) => Promise<void>;
  }
}

export const ACCESS_TOKEN_TTL = '15m';

async function authentication(fastify: FastifyInstance) {
  await fastify.register(jwt, {
    secret: fastify.config.secrets.jwt,
    // Pinning the algorithm refuses `alg: none` and key-confusion tokens outright.
    sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL },
    verify: { algorithms: ['HS256'] },
  });

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
  }

  fastify.decorate('authenticate', authenticate);
  fastify.decorate('requireRole', (...roles: AccessTokenClaims['role'][]) => async (request: FastifyRequest) => {
    await authenticate(request);
    if (!roles.includes(request.user.role)) throw forbidden();
  });
}

export default fp(authentication, { name: 'authentication', dependencies: ['errors'] });
