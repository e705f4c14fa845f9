import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from './columns.ts';

export const USER_ROLES = ['user', 'admin'] as const;
export const USER_STATUSES = ['active', 'suspended'] as const;

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: idColumn(),
    email: p.string().length(254).unique(),
    /** Null for accounts created through OAuth that never set a password. */
    passwordHash: p.string().nullable().hidden(),
    firstName: p.string().length(100).nullable(),
    lastName: p.string().length(100).nullable(),
    /** Storage key of the avatar image, not a URL: URLs are signed per request. */
    avatar: p.string().nullable(),
    nativeLanguage: p.string().length(16),
    learningLanguage: p.string().length(16),
    isEmailVerified: p.boolean().default(false),
    role: p.enum(USER_ROLES).default('user'),
    status: p.enum(USER_STATUSES).default('active').index(),
    /** The TOTP key, encrypted with a key derived from SIGNING_SECRET (AES-256-GCM). */
    mfaSecret: p.string().nullable().hidden(),
    mfaEnabled: p.boolean().default(false),
    /** The last TOTP time step accepted, so a code cannot be replayed within its window. */
    mfaLastStep: p.integer().nullable().hidden(),
    lastLoginAt: p.datetime().nullable(),
    createdAt: createdAtColumn().index(),
    updatedAt: updatedAtColumn(),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
