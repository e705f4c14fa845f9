import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { OneTimeToken, type User } from '../../src/entities/index.ts';
import { AppError } from '../../src/errors.ts';
import { digest, newOpaqueToken } from './secrets.ts';

type Purpose = OneTimeToken['purpose'];

/** Creates a single-use token for a link in an email; earlier unused ones of the same purpose stop working. */
export async function createOneTimeToken(
  em: SqlEntityManager,
  user: User,
  purpose: Purpose,
  ttlMs: number,
): Promise<string> {
  await em.nativeUpdate(OneTimeToken, { user, purpose, usedAt: null }, { usedAt: new Date() });
  const { token, hash } = newOpaqueToken();
  em.create(OneTimeToken, { user, purpose, tokenHash: hash, expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

/**
 * Spends a token: it must exist for this purpose, be unused and unexpired. `check` runs first and may refuse, so a
 * request that fails for another reason (a weak new password) does not burn the link. Returns the token's user.
 */
export async function consumeOneTimeToken(
  em: SqlEntityManager,
  token: string,
  purpose: Purpose,
  check: (user: User) => void = () => {},
): Promise<User> {
  const found = await em.findOne(OneTimeToken, { tokenHash: digest(token), purpose }, { populate: ['user'] });
  const invalid = new AppError(400, 'INVALID_TOKEN', 'This link is invalid, already used or expired');
  if (!found || found.usedAt || found.expiresAt < new Date()) throw invalid;
  check(found.user as User);
  const spent = await em.nativeUpdate(OneTimeToken, { id: found.id, usedAt: null }, { usedAt: new Date() });
  if (spent === 0) throw invalid;
  return found.user as User;
}
