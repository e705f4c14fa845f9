import { defineEntity, p } from '@mikro-orm/core';
import { idColumn } from './columns.ts';
import { User } from './user.ts';

export const DIFFICULTY_PREFERENCES = ['adaptive', 'easy', 'medium', 'hard'] as const;
export const AUDIO_QUALITIES = ['low', 'medium', 'high'] as const;

export const UserPreferencesSchema = defineEntity({
  name: 'UserPreferences',
  tableName: 'user_preferences',
  properties: {
    id: idColumn(),
    user: () => p.oneToOne(User).owner().unique().deleteRule('cascade'),
    dailyGoalMinutes: p.integer().default(15),
    reminderEnabled: p.boolean().default(true),
    /** Local wall-clock time "HH:MM" in the learner's own time zone. */
    reminderTime: p.string().length(5).nullable(),
    difficultyPreference: p.enum(DIFFICULTY_PREFERENCES).default('adaptive'),
    audioQuality: p.enum(AUDIO_QUALITIES).default('high'),
  },
});

export class UserPreferences extends UserPreferencesSchema.class {}
UserPreferencesSchema.setClass(UserPreferences);
