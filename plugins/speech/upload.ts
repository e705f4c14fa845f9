/**
 * What the routes that score recordings share (POST /speech/analyze, POST /speech/compare): reading the multipart
 * upload, checking its fields and its container, running the engine on it, and turning what the engine says about
 * the audio into HTTP answers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../../src/errors.ts';
import type { ErrorExample } from '../../src/http/error-envelope.ts';
import {
  type AnalysisResult,
  analyze,
  type ExpectedWord,
  loadModel,
  type ModelHandle,
  NativeEngineError,
} from '../../src/native/engine.ts';
import type { AnalysisLanguages, Route } from './analysis-languages.ts';

export const MAX_AUDIO_SECONDS = 30;

export interface AudioFormat {
  extension: string;
  contentType: string;
}

/** What the container's first bytes must look like: the browser's MediaRecorder formats and the common files. */
const FORMATS: Array<AudioFormat & { looksLike: (b: Buffer) => boolean }> = [
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

const TARGET_REQUIRED = 'targetWord is required: the word or sentence to say (at most 200 characters)';
const SPEECH_MISMATCH = 'The recording does not seem to say the target: try again';
const MODEL_UNAVAILABLE = 'Pronunciation analysis is unavailable right now';

/** The errors of a route that takes recordings, as the OpenAPI document shows them (from the tables above). */
export const RECORDING_ERRORS: ErrorExample[] = [
  {
    status: 400,
    code: 'BAD_REQUEST',
    message: TARGET_REQUIRED,
    details: { field: 'targetWord' },
  },
  {
    status: 400,
    code: 'UNSUPPORTED_LANGUAGE',
    message: 'Pronunciation analysis is not available for "ja" yet',
    details: { supported: ['en', 'en-us', 'de', 'es', 'es-419', 'fr', 'fr-be', 'it', 'pt', 'pt-br'] },
  },
  {
    status: 400,
    code: 'INVALID_PHONETIC',
    message: '"ˈpæro" has symbols we cannot map to the phonemes of "es" (GET /speech/phonemes/es)',
    details: { field: 'phonetic' },
  },
  ...Object.entries(AUDIO_ERRORS).map(([code, [status, message]]) => ({ status, code, message })),
  { status: 422, code: 'UNPRONOUNCEABLE', message: '"dos" has a sound the model does not know' },
  {
    status: 422,
    code: 'SPEECH_MISMATCH',
    message: SPEECH_MISMATCH,
    details: { alignment: 'aligned', gapPerFrame: 2.4 },
  },
  { status: 503, code: 'MODEL_UNAVAILABLE', message: MODEL_UNAVAILABLE },
];

/** `field` names the upload field a failure is about, for routes that take more than one recording. */
function audioError(code: string, field?: string): AppError {
  const [status, message] = AUDIO_ERRORS[code] ?? [422, 'The recording could not be used'];
  return new AppError(status, code, message, field ? { field } : undefined);
}

export interface Upload {
  files: Record<string, Buffer>;
  fields: Record<string, string>;
}

/** Reads the whole multipart body; a file in any other field than `fileFields` is refused. */
export async function readUpload(request: FastifyRequest, fileFields: readonly string[]): Promise<Upload> {
  const upload: Upload = { files: {}, fields: {} };
  for await (const part of request.parts({ limits: { files: fileFields.length } })) {
    if (part.type === 'file') {
      if (!fileFields.includes(part.fieldname)) {
        throw badRequest(
          fileFields.length === 1
            ? `The recording goes in the field "${fileFields[0]}"`
            : `Recordings go in the fields ${fileFields.map((field) => `"${field}"`).join(' and ')}`,
        );
      }
      upload.files[part.fieldname] = await part.toBuffer();
    } else {
      upload.fields[part.fieldname] = String(part.value);
    }
  }
  return upload;
}

export function requiredFile(upload: Upload, field: string): Buffer {
  const file = upload.files[field];
  if (!file) throw badRequest(`Attach the recording as the file field "${field}"`, { field });
  return file;
}

export interface Target {
  target: string;
  /** The language tag as analysed: 'en' for English, else the multilingual model's espeak-ng variety. */
  language: string;
  route: Route;
  phonetic?: string;
}

/** targetWord, language (default en: any `languages` routes, else 400 with `refusal`) and the optional IPA, checked. */
export function targetOf(
  fields: Record<string, string>,
  languages: AnalysisLanguages,
  refusal: (tag: string) => string,
): Target {
  const target = (fields.targetWord ?? '').trim();
  if (!target || target.length > 200) {
    throw badRequest(TARGET_REQUIRED, {
      field: 'targetWord',
    });
  }
  const phonetic = fields.phonetic?.trim() || undefined;
  if (phonetic && phonetic.length > 400) throw badRequest('phonetic is too long', { field: 'phonetic' });
  const tag = (fields.language ?? 'en').trim().slice(0, 35);
  const route = languages.route(tag);
  if (!route) {
    throw new AppError(400, 'UNSUPPORTED_LANGUAGE', refusal(tag), { supported: languages.supported });
  }
  return { target, language: route.language, route, phonetic };
}

/** The container, from the bytes and never from the client's content type; 415 when it is none we decode. */
export function formatOf(audio: Buffer, field?: string): AudioFormat {
  const format = audio.length >= 12 ? FORMATS.find((candidate) => candidate.looksLike(audio)) : undefined;
  if (!format) throw audioError('AUDIO_UNSUPPORTED_FORMAT', field);
  return { extension: format.extension, contentType: format.contentType };
}

/** Spec 11's speech scope (10 a minute), counted per learner after authentication; each route counts on its own. */
export function speechRateLimit(fastify: FastifyInstance) {
  return {
    ...fastify.rateLimitFor('speech'),
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => request.user?.sub ?? request.ip,
  };
}

/** By manifest path. */
const sharedModels = new Map<string, Promise<ModelHandle>>();

/**
 * The acoustic model of a manifest, loaded once per process and shared by the routes; undefined (logged) when it
 * cannot load.
 */
export async function acousticModel(
  fastify: FastifyInstance,
  manifest: string,
  route: string,
): Promise<ModelHandle | undefined> {
  let model = sharedModels.get(manifest);
  if (!model) {
    model = loadModel(manifest);
    sharedModels.set(manifest, model);
  }
  return model.catch((err: unknown) => {
    fastify.log.error({ err, manifest }, `no acoustic model: ${route} will answer 503`);
    return undefined;
  });
}

/** A model (or what is built on one) that loaded, else 503. */
export function modelOrUnavailable<T>(model: T | undefined): T {
  if (!model) throw new AppError(503, 'MODEL_UNAVAILABLE', MODEL_UNAVAILABLE);
  return model;
}

export async function runAnalysis(model: ModelHandle, audio: Buffer, words: ExpectedWord[], field?: string) {
  try {
    return await analyze(model, audio, words, { maxBytes: audio.length + 1, maxDurationSec: MAX_AUDIO_SECONDS });
  } catch (error) {
    if (error instanceof NativeEngineError && AUDIO_ERRORS[error.code]) throw audioError(error.code, field);
    throw error;
  }
}

/**
 * Waits for every promise (so none is left to fail unobserved), then throws the first failure in the order given,
 * not in time: a request with two mistakes always gets the same answer.
 */
export async function allInOrder<T extends readonly unknown[]>(
  promises: {
    readonly [K in keyof T]: Promise<T[K]>;
  },
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Refuses a recording that does not say the expected words, with `code` (SPEECH_MISMATCH by default). */
export function assertSpoken(result: AnalysisResult, code = 'SPEECH_MISMATCH', message = SPEECH_MISMATCH) {
  const { status, match } = result.alignment;
  if (status !== 'aligned' || !match?.matches) {
    throw new AppError(422, code, message, { alignment: status, gapPerFrame: match?.gapPerFrame ?? null });
  }
}
