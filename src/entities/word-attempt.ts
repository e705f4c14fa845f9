import { defineEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from './columns.ts';
import { PracticeSession } from './practice-session.ts';
import { User } from './user.ts';

export const WordAttemptSchema = defineEntity({
  name: 'WordAttempt',
  tableName: 'word_attempts',
  indexes: [{ properties: ['user', 'createdAt'] }],
  properties: {
    id: idColumn(),
    /** The learner: an attempt outside a practice session still belongs to someone. */
    user: () => p.manyToOne(User).deleteRule('cascade'),
    session: () => p.manyToOne(PracticeSession).nullable().deleteRule('cascade').index(),
    word: p.string().length(200),
    accuracy: p.double(),
    attempts: p.integer().default(1),
    completed: p.boolean().default(false),
    /** Storage key of the learner's recording (URLs are signed per request). */
    audioUrl: p.string().nullable(),
    /** Per-phoneme scores of the analysis, for progress and skill reports. */
    details: p.json<Record<string, unknown>>().nullable(),
    createdAt: createdAtColumn(),
  },
});

export class WordAttempt extends WordAttemptSchema.class {}
WordAttemptSchema.setClass(WordAttempt);
