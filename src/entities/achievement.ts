import { defineEntity, p } from '@mikro-orm/core';
import { idColumn } from './columns.ts';

export const ACHIEVEMENT_TYPES = ['streak', 'accuracy', 'time', 'milestone'] as const;

export const AchievementSchema = defineEntity({
  name: 'Achievement',
  tableName: 'achievements',
  properties: {
    id: idColumn(),
    /** Stable identifier that seeds and rules refer to. */
    code: p.string().length(64).unique(),
    title: p.string().length(200),
    description: p.text(),
    type: p.enum(ACHIEVEMENT_TYPES),
    criteria: p.json<Record<string, unknown>>(),
    icon: p.string().nullable(),
  },
});

export class Achievement extends AchievementSchema.class {}
AchievementSchema.setClass(Achievement);
