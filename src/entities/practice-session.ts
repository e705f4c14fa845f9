import { defineEntity, p } from '@mikro-orm/core';
import { idColumn } from './columns.ts';
import { Lesson } from './lesson.ts';
import { User } from './user.ts';

export const PracticeSessionSchema = defineEntity({
  name: 'PracticeSession',
  tableName: 'practice_sessions',
  // Progress, streaks and reports all read a user's sessions by time.
  indexes: [{ properties: ['user', 'completedAt'] }],
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    lesson: () => p.manyToOne(Lesson).nullable().deleteRule('set null').index(),
    /** Seconds. */
    duration: p.integer(),
    accuracy: p.double(),
    wordsCount: p.integer(),
    completedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class PracticeSession extends PracticeSessionSchema.class {}
PracticeSessionSchema.setClass(PracticeSession);
