import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from './columns.ts';
import { User } from './user.ts';

export const SUBSCRIPTION_PLANS = ['free', 'premium', 'pro'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'cancelled', 'expired', 'past_due'] as const;

export const SubscriptionSchema = defineEntity({
  name: 'Subscription',
  tableName: 'subscriptions',
  indexes: [{ properties: ['user', 'status'] }],
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    plan: p.enum(SUBSCRIPTION_PLANS),
    status: p.enum(SUBSCRIPTION_STATUSES),
    startDate: p.datetime().onCreate(() => new Date()),
    endDate: p.datetime().nullable(),
    stripeCustomerId: p.string().nullable().index(),
    stripeSubscriptionId: p.string().nullable().unique(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
});

export class Subscription extends SubscriptionSchema.class {}
SubscriptionSchema.setClass(Subscription);
