import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from './columns.ts';
import { LessonCategory } from './lesson-category.ts';

export const LESSON_LEVELS = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED'] as const;

export const LessonSchema = defineEntity({
  name: 'Lesson',
  tableName: 'lessons',
  indexes: [{ properties: ['language', 'level', 'isPublished'] }],
  properties: {
    id: idColumn(),
    title: p.string().length(200),
    description: p.text(),
    language: p.string().length(16),
    level: p.enum(LESSON_LEVELS),
    /** Expected length in minutes. */
    duration: p.integer(),
    thumbnail: p.string().nullable(),
    rating: p.double().default(0),
    studentCount: p.integer().default(0),
    isPublished: p.boolean().default(false),
    categories: () => p.manyToMany(LessonCategory).pivotTable('lesson_category_links'),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
});

export class Lesson extends LessonSchema.class {}
LessonSchema.setClass(Lesson);
