import { defineEntity, p } from '@mikro-orm/core';
import { idColumn } from './columns.ts';
import { Lesson } from './lesson.ts';
import { User } from './user.ts';

export const LessonProgressSchema = defineEntity({
  name: 'LessonProgress',
  tableName: 'lesson_progress',
  uniques: [{ properties: ['user', 'lesson'] }],
  properties: {
    id: idColumn(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    lesson: () => p.manyToOne(Lesson).deleteRule('cascade').index(),
    /** Percent of the lesson done, 0–100. */
    progress: p.double().default(0),
    completed: p.boolean().default(false),
    lastAccuracy: p.double().nullable(),
    startedAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
  },
});

export class LessonProgress extends LessonProgressSchema.class {}
LessonProgressSchema.setClass(LessonProgress);
