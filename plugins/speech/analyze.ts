import type { FastifyInstance, FastifyRequest } from 'fastify';
import { User } from '../../src/entities/index.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { type ModelHandle, modelInfo } from '../../src/native/engine.ts';
import { analysisKey, defineRecordingJob, practiceSessionOf, recordAttempt, sessionIdOf } from './attempts.ts';
import type { SpeechCatalog } from './catalog.ts';
import { type ScoredRecording, scoredRecording, suggestionsFor } from './feedback.ts';
import { AnalysisResponse } from './schemas.ts';
import {
  acousticModel,
  allInOrder,
  assertSpoken,
  expectedWords,
  formatOf,
  modelOrUnavailable,
  RECORDING_ERRORS,
  readUpload,
  requiredFile,
  runAnalysis,
  speechRateLimit,
  type Target,
  targetOf,
} from './upload.ts';

async function nativeLanguageOf(request: FastifyRequest): Promise<string> {
  const user = await request.em.findOneOrFail(User, request.user.sub, { fields: ['nativeLanguage'] });
  return user.nativeLanguage;
}

/** POST /speech/analyze: the learner's recording against the target, scored phone by phone. */
export async function registerAnalyze(fastify: FastifyInstance, catalog: SpeechCatalog) {
  const model = await acousticModel(fastify, '/speech/analyze');
  const inventory = model ? modelInfo(model).inventory : [];
  defineRecordingJob(fastify);

  /**
   * The recording scored against the target, from the cache when the same bytes were scored against the same target
   * within the hour (whoever sent them: the score does not depend on the learner), else by the engine.
   */
  async function scoreOf(handle: ModelHandle, audio: Buffer, target: Target) {
    const key = analysisKey(audio, { target: target.target, phonetic: target.phonetic });
    const cached = await fastify.cache.get<ScoredRecording>(key);
    if (cached) return { scored: cached, cache: 'hit' };
    const result = await runAnalysis(handle, audio, await expectedWords(target, inventory));
    assertSpoken(result);
    const scored = scoredRecording(result, { target: target.target, inventory, catalog });
    await fastify.cache.set('analysis', key, scored);
    return { scored, cache: 'miss' };
  }

  fastify.post(
    '/analyze',
    {
      config: { rateLimit: speechRateLimit(fastify) },
      schema: {
        tags: ['speech'],
        security: bearerAuth,
        summary: 'Score a recording of a word or sentence, phoneme by phoneme',
        description:
          'multipart/form-data: `audioFile` (WebM/Opus, MP4/AAC, Ogg, MP3, FLAC or WAV; at most 10 MB and 30 s), `targetWord` (a word or a sentence), `language` (`en`), optional `phonetic` (IPA, one transcription per word, e.g. `/θɪŋk/`), optional `sessionId` (a practice session of yours). Each analysis is recorded as a word attempt; the recording is stored in the background. The same recording and target are answered from a cache for an hour (header `x-analysis-cache`).',
        consumes: ['multipart/form-data'],
        response: { 200: AnalysisResponse, ...errorResponses(401, 403, 429, ...RECORDING_ERRORS) },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, ['audioFile']);
      const goal = targetOf(upload.fields);
      const audio = requiredFile(upload, 'audioFile');
      const format = formatOf(audio);
      const handle = modelOrUnavailable(model);
      const sessionId = sessionIdOf(upload.fields);
      // Scoring starts first, so the engine's thread is busy while the learner's rows are read on this one; a
      // failure of the session is still reported before anything about the recording.
      const scoring = scoreOf(handle, audio, goal);
      const [session, nativeLanguage, { scored, cache }] = await allInOrder([
        practiceSessionOf(request, sessionId),
        nativeLanguageOf(request),
        scoring,
      ]);
      reply.header('x-analysis-cache', cache);
      const suggestions = suggestionsFor(scored, { target: goal.target, catalog, nativeLanguage });
      const details = { phonemeScores: scored.phonemeScores.map(({ phoneme, accuracy }) => ({ phoneme, accuracy })) };
      const stored = await recordAttempt(fastify, request, {
        word: goal.target,
        accuracy: scored.accuracy,
        details,
        session,
        audio,
        format,
      });
      return { ...scored, suggestions, ...stored };
    },
  );
}
