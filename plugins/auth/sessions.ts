import { randomUUID } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { RefreshToken, type User } from '../../src/entities/index.ts';
import { unauthorized } from '../../src/errors.ts';
import { digest, newOpaqueToken } from './secrets.ts';

export interface TokenPair {
  token: string;
  refreshToken: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A sign-in is a family of refresh tokens. Each refresh spends the presented token and issues its successor in the
 * same family; a spent token presented again means it was copied, so the whole family is revoked.
 */
export class Sessions {
  private readonly fastify: FastifyInstance;

  constructor(fastify: FastifyInstance) {
    this.fastify = fastify;
  }

  /** Starts a new family (a sign-in) and returns its first tokens; flushes nothing. */
  start(em: SqlEntityManager, user: User, userAgent?: string): TokenPair {
    return this.issue(em, user, randomUUID(), userAgent);
  }

  async refresh(em: SqlEntityManager, presented: string, userAgent?: string): Promise<{ user: User } & TokenPair> {
    const current = await em.findOne(RefreshToken, { tokenHash: digest(presented) }, { populate: ['user'] });
    if (!current) throw unauthorized('The refresh token is invalid', 'INVALID_REFRESH_TOKEN');
    if (current.revokedAt) throw unauthorized('This session has been signed out', 'INVALID_REFRESH_TOKEN');
    // Spending is one conditional update, so two racing refreshes cannot both succeed.
    const spent = await em.nativeUpdate(
      RefreshToken,
      { id: current.id, rotatedAt: null, revokedAt: null },
      { rotatedAt: new Date() },
    );
    if (spent === 0) {
      await this.revokeFamily(em, current.familyId);
      throw unauthorized('This refresh token was already used; the session has been revoked', 'REFRESH_TOKEN_REUSED');
    }
    if (current.expiresAt < new Date()) {
      throw unauthorized('The session has expired; sign in again', 'REFRESH_TOKEN_EXPIRED');
    }
    const user = current.user as User;
    const pair = this.issue(em, user, current.familyId, userAgent);
    await em.flush();
    return { user, ...pair };
  }

  /** Signs out one session: the family of the presented token, if it is the user's. */
  async end(em: SqlEntityManager, userId: string, presented: string): Promise<void> {
    const token = await em.findOne(RefreshToken, { tokenHash: digest(presented), user: userId });
    if (token) await this.revokeFamily(em, token.familyId);
  }

  /** Signs out everywhere: after a password change or reset, or on suspension. */
  async endAll(em: SqlEntityManager, userId: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null }, { revokedAt: new Date() });
  }

  private async revokeFamily(em: SqlEntityManager, familyId: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }

  private issue(em: SqlEntityManager, user: User, familyId: string, userAgent?: string): TokenPair {
    const { token: refreshToken, hash } = newOpaqueToken();
    em.create(RefreshToken, {
      user,
      familyId,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + this.fastify.config.auth.refreshTokenTtlDays * DAY_MS),
      userAgent: userAgent?.slice(0, 512),
    });
    return { token: this.fastify.jwt.sign({ sub: user.id, role: user.role }), refreshToken };
  }
}
