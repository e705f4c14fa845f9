import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from './columns.ts';
import { User } from './user.ts';

/** A sign-in provider's account linked to one of our users. */
export const OAuthIdentitySchema = defineEntity({
  name: 'OAuthIdentity',
  tableName: 'oauth_identities',
  uniques: [{ properties: ['provider', 'subject'] }],
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    provider: p.string().length(32),
    /** The provider's stable user id (OIDC `sub`). */
    subject: p.string().length(255),
    email: p.string().length(254).nullable(),
    createdAt: createdAtColumn(),
  },
});

export class OAuthIdentity extends OAuthIdentitySchema.class {}
OAuthIdentitySchema.setClass(OAuthIdentity);
