import { createHash, randomUUID } from 'node:crypto';
import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PracticeSession, WordAttempt } from '../../src/entities/index.ts';
import { badRequest, notFound } from '../../src/errors.ts';
import { isUuid } from '../../src/ids.ts';

export const RECORD_ATTEMPT_JOB = 'speech.record-attempt';

/** Counted as practised well enough to move on. */
const COMPLETED_AT = 80;

/** An analysed attempt as the job receives it: JSON, so ids for entities, an ISO time and base64 audio. */
export interface AttemptRecord {
  id: string;
  user: string;
  session?: string;
  word: string;
  accuracy: number;
  details: Record<string, unknown>;
  createdAt: string;
  recording: { key: string; contentType: string; audio: string };
}

/**
 * The attempt's row and its recording are written by one job, after the answer: the learner never waits on the
 * database or storage, and no row can exist without its recording. The recording comes first; a retry rewrites it
 * under the same key and finds the row already there.
 */
export function defineAttemptJob(fastify: FastifyInstance) {
  fastify.jobs.define<AttemptRecord>(RECORD_ATTEMPT_JOB, async ({ recording, createdAt, ...attempt }) => {
    await fastify.storage.put(recording.key, Buffer.from(recording.audio, 'base64'), recording.contentType);
    const em = fastify.orm.em.fork();
    const row = em.create(
      WordAttempt,
      {
        ...attempt,
        audioUrl: recording.key,
        completed: attempt.accuracy >= COMPLETED_AT,
        createdAt: new Date(createdAt),
      },
      { persist: false },
    );
    try {
      await em.insert(row);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return;
      // The learner or the session was deleted since the answer, and their attempts with them: so goes this one.
      if (error instanceof ForeignKeyConstraintViolationException) return fastify.storage.delete(recording.key);
      throw error;
    }
  });
}

/** The cache key of an analysis: the same bytes, target and learner language give the same answer. */
export function analysisKey(audio: Buffer, parts: Record<string, string | undefined>): string {
  const hash = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  return `analysis:${hash(audio)}:${hash(JSON.stringify(parts))}`;
}

/** The optional `sessionId` field, checked before any work is spent on the upload. */
export function sessionIdOf(fields: Record<string, string>): string | undefined {
  const { sessionId } = fields;
  if (!sessionId) return undefined;
  if (!isUuid(sessionId)) throw badRequest('sessionId is not a practice session id', { field: 'sessionId' });
  return sessionId;
}

/** The learner's own practice session of that id; 404 for anyone else's. */
export async function practiceSessionOf(request: FastifyRequest, sessionId: string | undefined) {
  if (!sessionId) return undefined;
  const session = await request.em.findOne(PracticeSession, { id: sessionId, user: request.user.sub });
  if (!session) throw notFound('Practice session');
  return session;
}

/** Queues the attempt's recording (RECORD_ATTEMPT_JOB); returns the attempt's id and its recording's URL. */
export async function recordAttempt(
  fastify: FastifyInstance,
  request: FastifyRequest,
  attempt: {
    word: string;
    accuracy: number;
    details: Record<string, unknown>;
    session?: PracticeSession;
    audio: Buffer;
    format: { extension: string; contentType: string };
  },
): Promise<{ attemptId: string; audioUrl: string }> {
  const id = randomUUID();
  const user = request.user.sub;
  const key = `users/${user}/recordings/${id}.${attempt.format.extension}`;
  await fastify.jobs.enqueue<AttemptRecord>(RECORD_ATTEMPT_JOB, {
    id,
    user,
    session: attempt.session?.id,
    word: attempt.word,
    accuracy: attempt.accuracy,
    details: attempt.details,
    createdAt: new Date().toISOString(),
    recording: { key, contentType: attempt.format.contentType, audio: attempt.audio.toString('base64') },
  });
  return { attemptId: id, audioUrl: await fastify.storage.url(key) };
}
