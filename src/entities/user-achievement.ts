import { defineEntity, p } from '@mikro-orm/core';
import { Achievement } from './achievement.ts';
import { idColumn } from './columns.ts';
import { User } from './user.ts';

export const UserAchievementSchema = defineEntity({
  name: 'UserAchievement',
  tableName: 'user_achievements',
  uniques: [{ properties: ['user', 'achievement'] }],
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    achievement: () => p.manyToOne(Achievement).deleteRule('cascade').index(),
    earnedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class UserAchievement extends UserAchievementSchema.class {}
UserAchievementSchema.setClass(UserAchievement);
