import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from './columns.ts';
import { User } from './user.ts';

export const ONE_TIME_TOKEN_PURPOSES = ['verify-email', 'reset-password'] as const;

/** Email verification and password reset links: single use, expiring, stored hashed. */
export const OneTimeTokenSchema = defineEntity({
  name: 'OneTimeToken',
  tableName: 'one_time_tokens',
  indexes: [{ properties: ['user', 'purpose'] }],
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    purpose: p.enum(ONE_TIME_TOKEN_PURPOSES),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
  },
});

export class OneTimeToken extends OneTimeTokenSchema.class {}
OneTimeTokenSchema.setClass(OneTimeToken);
