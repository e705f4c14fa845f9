import { defineEntity, p } from '@mikro-orm/core';
import { idColumn } from './columns.ts';
import { Lesson } from './lesson.ts';

export const LessonWordSchema = defineEntity({
  name: 'LessonWord',
  tableName: 'lesson_words',
  uniques: [{ properties: ['lesson', 'order'] }],
  properties: {
    id: idColumn(),
    lesson: () => p.manyToOne(Lesson).deleteRule('cascade'),
    word: p.string().length(200),
    /** IPA, as the speech engine's parser accepts it. */
    phonetic: p.string().length(200),
    difficulty: p.string().length(32),
    tips: p.text().nullable(),
    audioUrl: p.string().nullable(),
    order: p.integer(),
  },
});

export class LessonWord extends LessonWordSchema.class {}
LessonWordSchema.setClass(LessonWord);
