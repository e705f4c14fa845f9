import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { User } from '../../src/entities/index.ts';
import { AppError, badRequest } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import {
  type AnalysisResult,
  analyze,
  loadModel,
  type ModelHandle,
  modelInfo,
  NativeEngineError,
} from '../../src/native/engine.ts';
import { analysisKey, defineRecordingJob, practiceSessionOf, recordAttempt } from './attempts.ts';
import type { SpeechCatalog } from './catalog.ts';
import { type AnalysisFeedback, feedbackFor } from './feedback.ts';
import { parsePhonetic, pronounceText } from './pronunciation.ts';
import { AnalysisResponse } from './schemas.ts';

const MANIFEST = fileURLToPath(new URL('../../models/manifest.json', import.meta.url));
const MAX_AUDIO_SECONDS = 30;

/** What the container's first bytes must look like: the browser's MediaRecorder formats and the common files. */
const FORMATS: Array<{ looksLike: (b: Buffer) => boolean; extension: string; contentType: string }> = [
  {
    looksLike: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WAVE',
    extension: 'wav',
    contentType: 'audio/wav',
  },
  { looksLike: (b) => b.subarray(0, 4).toString('latin1') === 'OggS', extension: 'ogg', contentType: 'audio/ogg' },
  { looksLike: (b) => b.subarray(0, 4).toString('latin1') === 'fLaC', extension: 'flac', contentType: 'audio/flac' },
  // EBML: WebM / Matroska, what Chrome's MediaRecorder sends.
  { looksLike: (b) => b.readUInt32BE(0) === 0x1a45dfa3, extension: 'webm', contentType: 'audio/webm' },
  // MP4 / M4A, what Safari sends.
  { looksLike: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp', extension: 'm4a', contentType: 'audio/mp4' },
  {
    looksLike: (b) => b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
    extension: 'mp3',
    contentType: 'audio/mpeg',
  },
];

/** The engine's failures a client can act on, as HTTP answers. */
const AUDIO_ERRORS: Record<string, [number, string]> = {
  AUDIO_UNSUPPORTED_FORMAT: [415, 'This audio format is not supported: send WebM/Opus, MP4/AAC, Ogg, MP3, FLAC or WAV'],
  AUDIO_CORRUPT: [422, 'The recording is damaged and could not be decoded'],
  AUDIO_EMPTY: [422, 'The recording is empty'],
  AUDIO_NO_SPEECH: [422, 'No speech was heard in the recording: check the microphone'],
  AUDIO_TOO_LONG: [413, `Recordings may be at most ${MAX_AUDIO_SECONDS} seconds long`],
  AUDIO_TOO_LARGE: [413, 'The recording is too large'],
};

interface Upload {
  audio?: Buffer;
  fields: Record<string, string>;
}

async function readUpload(request: FastifyRequest): Promise<Upload> {
  const upload: Upload = { fields: {} };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'audioFile') throw badRequest('The recording goes in the field "audioFile"');
      upload.audio = await part.toBuffer();
    } else {
      upload.fields[part.fieldname] = String(part.value);
    }
  }
  return upload;
}

function checkFields(fields: Record<string, string>): { target: string; language: string; phonetic?: string } {
  const target = (fields.targetWord ?? '').trim();
  if (!target || target.length > 200) {
    throw badRequest('targetWord is required: the word or sentence to say (at most 200 characters)', {
      field: 'targetWord',
    });
  }
  const phonetic = fields.phonetic?.trim() || undefined;
  if (phonetic && phonetic.length > 400) throw badRequest('phonetic is too long', { field: 'phonetic' });
  return { target, language: (fields.language ?? 'en').trim().toLowerCase(), phonetic };
}

async function runAnalysis(model: ModelHandle, audio: Buffer, words: Parameters<typeof analyze>[2]) {
  try {
    return await analyze(model, audio, words, { maxBytes: audio.length + 1, maxDurationSec: MAX_AUDIO_SECONDS });
  } catch (error) {
    const known = error instanceof NativeEngineError ? AUDIO_ERRORS[error.code] : undefined;
    if (known) throw new AppError(known[0], (error as NativeEngineError).code, known[1]);
    throw error;
  }
}

function assertSpoken(result: AnalysisResult) {
  const { status, match } = result.alignment;
  if (status !== 'aligned' || !match?.matches) {
    throw new AppError(422, 'SPEECH_MISMATCH', 'The recording does not seem to say the target: try again', {
      alignment: status,
      gapPerFrame: match?.gapPerFrame ?? null,
    });
  }
}

/** POST /speech/analyze: the learner's recording against the target, scored phone by phone. */
export async function registerAnalyze(fastify: FastifyInstance, catalog: SpeechCatalog) {
  const model = await loadModel(MANIFEST).catch((err: unknown) => {
    fastify.log.error({ err }, 'no acoustic model: /speech/analyze will answer 503');
    return undefined;
  });
  const inventory = model ? modelInfo(model).inventory : [];
  const speech = fastify.rateLimitFor('speech');
  defineRecordingJob(fastify);

  async function analyzeFresh(audio: Buffer, target: string, phonetic: string | undefined, nativeLanguage: string) {
    const handle = model as ModelHandle;
    const words = phonetic ? parsePhonetic(phonetic, target, inventory) : await pronounceText(target, inventory);
    const result = await runAnalysis(handle, audio, words);
    assertSpoken(result);
    return feedbackFor(result, { target, inventory, catalog, nativeLanguage });
  }

  fastify.post(
    '/analyze',
    {
      config: {
        // Per learner, counted after authentication (spec 11: 10 analyses a minute).
        rateLimit: { ...speech, hook: 'preHandler', keyGenerator: (request) => request.user?.sub ?? request.ip },
      },
      schema: {
        tags: ['speech'],
        security: bearerAuth,
        summary: 'Score a recording of a word or sentence, phoneme by phoneme',
        description:
          'multipart/form-data: `audioFile` (WebM/Opus, MP4/AAC, Ogg, MP3, FLAC or WAV; at most 10 MB and 30 s), `targetWord` (a word or a sentence), `language` (`en`), optional `phonetic` (IPA, one transcription per word, e.g. `/θɪŋk/`), optional `sessionId` (a practice session of yours). Each analysis is recorded as a word attempt; the recording is stored in the background. The same recording and target are answered from a cache for an hour (header `x-analysis-cache`).',
        consumes: ['multipart/form-data'],
        response: { 200: AnalysisResponse, ...errorResponses(400, 401, 403, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request);
      const { target, language, phonetic } = checkFields(upload.fields);
      if (language !== 'en' && language !== 'en-us') {
        throw new AppError(
          400,
          'UNSUPPORTED_LANGUAGE',
          `Pronunciation analysis is not available for "${language}" yet`,
          {
            supported: ['en'],
          },
        );
      }
      if (!upload.audio) throw badRequest('Attach the recording as the file field "audioFile"', { field: 'audioFile' });
      const audio = upload.audio;
      const format = audio.length >= 12 ? FORMATS.find((candidate) => candidate.looksLike(audio)) : undefined;
      if (!format)
        throw new AppError(415, 'AUDIO_UNSUPPORTED_FORMAT', AUDIO_ERRORS.AUDIO_UNSUPPORTED_FORMAT?.[1] ?? '');
      if (!model) throw new AppError(503, 'MODEL_UNAVAILABLE', 'Pronunciation analysis is unavailable right now');
      const session = await practiceSessionOf(request, upload.fields.sessionId);
      const { nativeLanguage } = await request.em.findOneOrFail(User, request.user.sub, { fields: ['nativeLanguage'] });
      const cacheKey = analysisKey(audio, { target, phonetic, nativeLanguage });
      const cached = await fastify.cache.get<AnalysisFeedback>(cacheKey);
      reply.header('x-analysis-cache', cached ? 'hit' : 'miss');
      const analysis = cached ?? (await analyzeFresh(audio, target, phonetic, nativeLanguage));
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
