import { defineEntity, p } from '@mikro-orm/core';
import { idColumn } from './columns.ts';

export const LessonCategorySchema = defineEntity({
  name: 'LessonCategory',
  tableName: 'lesson_categories',
  properties: {
    id: idColumn(),
    slug: p.string().length(64).unique(),
    name: p.string().length(100),
    description: p.text().nullable(),
  },
});

export class LessonCategory extends LessonCategorySchema.class {}
LessonCategorySchema.setClass(LessonCategory);
