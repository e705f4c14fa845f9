import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from './columns.ts';
import { User } from './user.ts';

/** One-time codes that stand in for the authenticator app when it is lost; stored hashed, spent once. */
export const MfaRecoveryCodeSchema = defineEntity({
  name: 'MfaRecoveryCode',
  tableName: 'mfa_recovery_codes',
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    codeHash: p.string().length(64).unique(),
    usedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
  },
});

export class MfaRecoveryCode extends MfaRecoveryCodeSchema.class {}
MfaRecoveryCodeSchema.setClass(MfaRecoveryCode);
