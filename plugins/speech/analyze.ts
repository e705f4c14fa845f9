import type { FastifyInstance } from 'fastify';
import { User } from '../../src/entities/index.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { type ModelHandle, modelInfo } from '../../src/native/engine.ts';
import { analysisKey, defineRecordingJob, practiceSessionOf, recordAttempt } from './attempts.ts';
import type { SpeechCatalog } from './catalog.ts';
import { type AnalysisFeedback, feedbackFor } from './feedback.ts';
import { AnalysisResponse } from './schemas.ts';
import {
  acousticModel,
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

/** POST /speech/analyze: the learner's recording against the target, scored phone by phone. */
export async function registerAnalyze(fastify: FastifyInstance, catalog: SpeechCatalog) {
  const model = await acousticModel(fastify, '/speech/analyze');
  const inventory = model ? modelInfo(model).inventory : [];
  defineRecordingJob(fastify);

  async function analyzeFresh(handle: ModelHandle, audio: Buffer, target: Target, nativeLanguage: string) {
    const result = await runAnalysis(handle, audio, await expectedWords(target, inventory));
    assertSpoken(result);
    return feedbackFor(result, { target: target.target, inventory, catalog, nativeLanguage });
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
      const { target, phonetic } = goal;
      const audio = requiredFile(upload, 'audioFile');
      const format = formatOf(audio);
      const handle = modelOrUnavailable(model);
      const session = await practiceSessionOf(request, upload.fields.sessionId);
      const { nativeLanguage } = await request.em.findOneOrFail(User, request.user.sub, { fields: ['nativeLanguage'] });
      const cacheKey = analysisKey(audio, { target, phonetic, nativeLanguage });
      const cached = await fastify.cache.get<AnalysisFeedback>(cacheKey);
      reply.header('x-analysis-cache', cached ? 'hit' : 'miss');
      const analysis = cached ?? (await analyzeFresh(handle, audio, goal, nativeLanguage));
      if (!cached) await fastify.cache.set('analysis', cacheKey, analysis);
      const details = { phonemeScores: analysis.phonemeScores.map(({ phoneme, accuracy }) => ({ phoneme, accuracy })) };
      const stored = await recordAttempt(fastify, request, {
        word: target,
        accuracy: analysis.accuracy,
        details,
        session,
        audio,
        format,
      });
      return { ...analysis, ...stored };
    },
  );
}
