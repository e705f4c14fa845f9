import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PracticeSession, WordAttempt } from '../../src/entities/index.ts';
import { badRequest, notFound } from '../../src/errors.ts';
import { isUuid } from '../../src/ids.ts';

export const STORE_RECORDING_JOB = 'speech.store-recording';

/** Counted as practised well enough to move on. */
const COMPLETED_AT = 80;

interface StoreRecording {
  key: string;
  contentType: string;
  /** base64: job payloads are JSON. */
  audio: string;
}

/** Recordings are written by a job, so the learner's answer never waits on storage. */
export function defineRecordingJob(fastify: FastifyInstance) {
  fastify.jobs.define<StoreRecording>(STORE_RECORDING_JOB, async ({ key, contentType, audio }) => {
    await fastify.storage.put(key, Buffer.from(audio, 'base64'), contentType);
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

/** Records the attempt and queues its recording; returns the attempt's id and the recording's URL. */
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
  const row = request.em.create(
    WordAttempt,
    {
      id,
      audioUrl: `users/${request.user.sub}/recordings/${id}.${attempt.format.extension}`,
      user: request.user.sub,
      session: attempt.session,
      word: attempt.word,
      accuracy: attempt.accuracy,
      completed: attempt.accuracy >= COMPLETED_AT,
      details: attempt.details,
    },
    { persist: false },
  );
  // One INSERT: a single new row needs neither the unit of work's change sets nor a transaction around it.
  await request.em.insert(row);
  const key = row.audioUrl as string;
  const { contentType } = attempt.format;
  await fastify.jobs.enqueue<StoreRecording>(STORE_RECORDING_JOB, {
    key,
    contentType,
    audio: attempt.audio.toString('base64'),
  });
  return { attemptId: id, audioUrl: await fastify.storage.url(key) };
}
