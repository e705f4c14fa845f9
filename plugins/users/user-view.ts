import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import type { User } from '../../src/entities/index.ts';
import { USER_ROLES, USER_STATUSES } from '../../src/entities/user.ts';
import { oneOf } from '../../src/http/schema-helpers.ts';

export const UserView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    firstName: Type.Union([Type.String(), Type.Null()]),
    lastName: Type.Union([Type.String(), Type.Null()]),
    avatarUrl: Type.Union([Type.String({ description: 'Signed URL, valid for a limited time' }), Type.Null()]),
    nativeLanguage: Type.String({ examples: ['zh'] }),
    learningLanguage: Type.String({ examples: ['en'] }),
    isEmailVerified: Type.Boolean(),
    role: oneOf(USER_ROLES),
    status: oneOf(USER_STATUSES),
    mfaEnabled: Type.Boolean(),
    lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A learner or an administrator, as the API shows them' },
);
export type UserView = Static<typeof UserView>;

/** What the API shows of a user: never the password hash or the MFA secret; the avatar as a signed URL. */
export async function toUserView(fastify: FastifyInstance, user: User): Promise<UserView> {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName ?? null,
    lastName: user.lastName ?? null,
    avatarUrl: user.avatar ? await fastify.storage.url(user.avatar) : null,
    nativeLanguage: user.nativeLanguage,
    learningLanguage: user.learningLanguage,
    isEmailVerified: user.isEmailVerified,
    role: user.role,
    status: user.status,
    mfaEnabled: user.mfaEnabled,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
