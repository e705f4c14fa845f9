import type { FastifyInstance, FastifyRequest } from 'fastify';
import { User } from '../../src/entities/index.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { type Analyser, analysers } from './analysers.ts';
import type { AnalysisLanguages } from './analysis-languages.ts';
import { analysisKey, defineAttemptJob, practiceSessionOf, recordAttempt, sessionIdOf } from './attempts.ts';
import type { SpeechCatalog } from './catalog.ts';
import { type ScoredRecording, scoredRecording, suggestionsFor } from './feedback.ts';
import { AnalysisResponse } from './schemas.ts';
import {
  allInOrder,
  assertSpoken,
  formatOf,
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
export async function registerAnalyze(fastify: FastifyInstance, catalog: SpeechCatalog, known: AnalysisLanguages) {
  const analyserOf = await analysers(fastify, known, '/speech/analyze');
  const refusal = (tag: string) => `Pronunciation analysis is not available for "${tag}" yet`;
  defineAttemptJob(fastify);

  /**
   * The recording scored against the target, from the cache when the same bytes were scored against the same target
   * in the same language within the hour (whoever sent them: the score does not depend on the learner), else by the
   * engine.
   */
  async function scoreOf(analyser: Analyser, audio: Buffer, target: Target) {
    const key = analysisKey(audio, { target: target.target, language: target.language, phonetic: target.phonetic });
    const cached = await fastify.cache.get<ScoredRecording>(key);
    if (cached) return { scored: cached, cache: 'hit' };
    const result = await runAnalysis(analyser.handle, audio, await analyser.expectedWords(target));
    assertSpoken(result);
    const { inventory } = analyser;
    const scored = scoredRecording(result, {
      target: target.target,
      language: target.language,
      inventory,
      guide: catalog.guides.get(target.route.guide),
    });
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
          'multipart/form-data: `audioFile` (WebM/Opus, MP4/AAC, Ogg, MP3, FLAC or WAV; at most 10 MB and 30 s), `targetWord` (a word or a sentence), `language` (default `en`; also `es`, `es-419`, `fr`, `fr-be`, `de`, `it`, `pt`, `pt-br` and other regional tags of those languages, e.g. `es-MX`; any other gets 400 UNSUPPORTED_LANGUAGE listing them), optional `phonetic` (IPA, one transcription per word, e.g. `/θɪŋk/`, `/ˈpero/`), optional `sessionId` (a practice session of yours). English is scored by a model and a scorer trained on real learners (`scoredBy: learned`); Spanish, French, German, Italian and Portuguese by one multilingual model trained on synthetic speech only, with the calibrated GOP (`scoredBy: gop`: no fluency, prosody, stress or total scores), and their `phonemeScores[].phoneme` are the IPA symbols of GET /speech/phonemes/:language. How well each language has been measured: GET /speech/supported-languages, `quality`. Each analysis is recorded as a word attempt (`attemptId`) together with its recording (`audioUrl`) by a background job, moments after the answer. The same recording, target and language are answered from a cache for an hour (header `x-analysis-cache`).',
        consumes: ['multipart/form-data'],
        response: { 200: AnalysisResponse, ...errorResponses(401, 403, 429, ...RECORDING_ERRORS) },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, ['audioFile']);
      const goal = targetOf(upload.fields, known, refusal);
      const audio = requiredFile(upload, 'audioFile');
      const format = formatOf(audio);
      const analyser = analyserOf(goal);
      const sessionId = sessionIdOf(upload.fields);
      // Scoring starts first, so the engine's thread is busy while the learner's rows are read on this one; a
      // failure of the session is still reported before anything about the recording.
      const scoring = scoreOf(analyser, audio, goal);
      const [session, nativeLanguage, { scored, cache }] = await allInOrder([
        practiceSessionOf(request, sessionId),
        nativeLanguageOf(request),
        scoring,
      ]);
      reply.header('x-analysis-cache', cache);
      const suggestions = suggestionsFor(scored, {
        target: goal.target,
        catalog,
        language: goal.route.guide,
        nativeLanguage,
      });
      const details = {
        language: goal.language,
        phonemeScores: scored.phonemeScores.map(({ phoneme, accuracy }) => ({ phoneme, accuracy })),
      };
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
