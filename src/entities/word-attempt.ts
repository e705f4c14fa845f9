import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from './columns.ts';
import { PracticeSession } from './practice-session.ts';

export const WordAttemptSchema = defineEntity({
  name: 'WordAttempt',
  tableName: 'word_attempts',
  properties: {
    id: idColumn(),
    session: () => p.manyToOne(PracticeSession).deleteRule('cascade').index(),
    word: p.string().length(200),
    accuracy: p.double(),
    attempts: p.integer().default(1),
    completed: p.boolean().default(false),
    /** Storage key of the learner's recording. */
    audioUrl: p.string().nullable(),
    createdAt: createdAtColumn(),
  },
});

export class WordAttempt extends WordAttemptSchema.class {}
WordAttemptSchema.setClass(WordAttempt);
