import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from './columns.ts';
import { User } from './user.ts';

/**
 * One link of a refresh-token family. Every refresh rotates the token within its family; presenting a token that was
 * already rotated means it leaked, and the whole family is revoked.
 */
export const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    familyId: p.uuid().index(),
    /** SHA-256 of the opaque token: a database leak must not yield usable tokens. */
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    rotatedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    userAgent: p.string().length(512).nullable(),
    createdAt: createdAtColumn(),
  },
});

export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);
