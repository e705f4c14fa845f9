import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { AppError } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { oneOf } from '../../src/http/schema-helpers.ts';
import { bearerAuth } from '../../src/http/security.ts';
import type { SpeechCatalog } from './catalog.ts';
import {
  MAX_TEXT_LENGTH,
  REFERENCE_ERRORS,
  REFERENCE_FORMATS,
  ReferenceAudioStore,
  type ReferenceFormat,
  ReferenceLinks,
  type StoredReference,
} from './reference-audio.ts';

const FORMAT_NAMES = Object.keys(REFERENCE_FORMATS) as ReferenceFormat[];
const Format = oneOf(FORMAT_NAMES);
const CACHE_HEADER = 'x-reference-cache';

const GenerateAudioBody = Type.Object(
  {
    text: Type.String({
      description: `The word or sentence to say, at most ${MAX_TEXT_LENGTH} characters`,
      examples: ['think', 'I think that is the thing.'],
    }),
    language: Type.String({
      maxLength: 32,
      description: 'A `code` from GET /speech/supported-languages',
      examples: ['en'],
    }),
    voice: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          "One of the language's `voices[].id` from GET /speech/supported-languages; default: the voice of the language's phoneme guide, else its first voice",
        examples: ['gmw/en-US'],
      }),
    ),
    speed: Type.Optional(
      Type.Number({
        minimum: 0.5,
        maximum: 2,
        description: '1 is natural speed (175 words a minute), 0.5 half as fast; default 1',
        examples: [0.8],
      }),
    ),
    emphasizePhonemes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 16 }), {
        maxItems: 16,
        description:
          'Phonemes to make stand out, in IPA as GET /speech/phonemes/:language names them (`/θ/` and stress marks are accepted): each of their sounds is 1.6 times longer at the same pitch and a little louder. Every one must occur in the text (else 400 PHONEME_NOT_IN_TEXT)',
        examples: [['θ']],
      }),
    ),
    format: Type.Optional(
      Type.Unsafe<ReferenceFormat>({
        ...Format,
        description: 'opus (default): Ogg/Opus, 48 kHz, 32 kbit/s; mp3: 22.05 kHz, 48 kbit/s, for older Safari',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ text: 'think', language: 'en', emphasizePhonemes: ['θ'], speed: 0.8, format: 'opus' }],
  },
);
type GenerateAudioBody = Static<typeof GenerateAudioBody>;

const TimedPhone = Type.Object({
  ipa: Type.String({ examples: ['θ'] }),
  startMs: Type.Number({ description: 'ms from the start of the audio' }),
  endMs: Type.Number({ description: 'ms from the start of the audio' }),
});

const GeneratedAudio = Type.Object(
  {
    audioUrl: Type.String({
      description: 'Signed URL of the audio file; it expires (STORAGE_URL_TTL_SECONDS, 1 h by default)',
      examples: ['https://api.speakai.app/files/reference-audio/3f2a….ogg?expires=1767225600&signature=…'],
    }),
    duration: Type.Number({ description: 'Length of the audio in ms', examples: [578.9] }),
    format: Format,
    contentType: Type.String({ examples: ['audio/ogg'] }),
    phones: Type.Array(TimedPhone, {
      description: 'Each sound in order with its time in the audio, to highlight while it plays; pauses left out',
    }),
  },
  {
    examples: [
      {
        audioUrl: 'https://api.speakai.app/files/reference-audio/3f2a9c….ogg?expires=1767225600&signature=…',
        duration: 711.2,
        format: 'opus',
        contentType: 'audio/ogg',
        phones: [
          { ipa: 'θ', startMs: 0, endMs: 131.2 },
          { ipa: 'ɪ', startMs: 131.2, endMs: 224.1 },
          { ipa: 'ŋ', startMs: 224.1, endMs: 354.1 },
          { ipa: 'k', startMs: 354.1, endMs: 411.2 },
        ],
      },
    ],
  },
);

/** The reference-audio links of a guide's example words (GET /speech/phonemes/:language). */
export const ExampleAudio = Type.Array(
  Type.Object({
    text: Type.String({ examples: ['think'] }),
    opusUrl: Type.String({ description: 'Signed link (expires); redirects to the Ogg/Opus file' }),
    mp3Url: Type.String({ description: 'The same as MP3' }),
  }),
  { description: 'Reference audio of each example word, playable straight from an <audio> element' },
);

const LinkQuery = Type.Object({
  text: Type.String({ maxLength: 400 }),
  language: Type.String({ maxLength: 32 }),
  format: Format,
  expires: Type.Integer(),
  signature: Type.String({ maxLength: 128 }),
});

export function referenceLinks(fastify: FastifyInstance): ReferenceLinks {
  const { config } = fastify;
  return new ReferenceLinks({
    secret: config.secrets.signing,
    publicUrl: config.publicUrl,
    ttlSeconds: config.storage.urlTtlSeconds,
  });
}

/** A guide's example words with their reference-audio links: links only, the audio is made when first played. */
export function exampleAudio(links: ReferenceLinks, language: string, examples: string[]): Static<typeof ExampleAudio> {
  return examples.map((text) => ({
    text,
    opusUrl: links.link(text, language, 'opus'),
    mp3Url: links.link(text, language, 'mp3'),
  }));
}

function answer(reference: StoredReference, audioUrl: string) {
  const { format, contentType, durationMs, phones } = reference;
  return { audioUrl, duration: durationMs, format, contentType, phones };
}

/** POST /speech/generate-audio: native reference audio of any word or sentence, stored once per distinct request. */
export async function registerGenerateAudio(fastify: FastifyInstance, catalog: SpeechCatalog) {
  const store = new ReferenceAudioStore(fastify.storage, catalog);
  fastify.post(
    '/generate-audio',
    {
      config: {
        // Per learner, counted after authentication (spec 11: speech, 10 a minute).
        rateLimit: {
          ...fastify.rateLimitFor('speech'),
          hook: 'preHandler',
          keyGenerator: (request) => request.user?.sub ?? request.ip,
        },
      },
      schema: {
        tags: ['speech'],
        security: bearerAuth,
        summary: 'Reference audio of a word or sentence, optionally with chosen phonemes emphasized',
        description:
          'Synthesized with espeak-ng and encoded as Ogg/Opus or MP3. The same request (after normalizing the text) is synthesized once and then served from storage: header `x-reference-cache: hit|miss`. `phones` gives the time of each sound for highlighting while the audio plays.',
        body: GenerateAudioBody,
        response: { 200: GeneratedAudio, ...errorResponses(401, 403, 429, ...REFERENCE_ERRORS) },
      },
    },
    async (request, reply) => {
      const body = request.body as GenerateAudioBody;
      const { reference, hit } = await store.fetch(body);
      reply.header(CACHE_HEADER, hit ? 'hit' : 'miss');
      return answer(reference, await store.url(reference));
    },
  );
}

/**
 * GET /speech/reference-audio: where a guide's signed example link leads. No bearer token (an <audio> element cannot
 * send one): the signature is the authorization. Synthesizes on first use, then redirects to the stored file.
 */
export async function registerReferenceAudioLinks(fastify: FastifyInstance, catalog: SpeechCatalog) {
  const store = new ReferenceAudioStore(fastify.storage, catalog);
  const links = referenceLinks(fastify);
  fastify.get(
    '/reference-audio',
    {
      schema: {
        tags: ['speech'],
        summary: "A phoneme guide's example word as audio (signed link)",
        description:
          'The `opusUrl` and `mp3Url` links of GET /speech/phonemes/:language lead here; they are signed and expire like file links. Answers 302 to the stored audio file, synthesizing it on first use (header `x-reference-cache`).',
        querystring: LinkQuery,
        response: {
          302: Type.Null({ description: 'Location: the signed URL of the audio file' }),
          ...errorResponses(429, ...REFERENCE_ERRORS, {
            status: 403,
            code: 'INVALID_SIGNATURE',
            message: 'This link is invalid or has expired',
          }),
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Static<typeof LinkQuery>;
      if (!links.verify(query)) throw new AppError(403, 'INVALID_SIGNATURE', 'This link is invalid or has expired');
      const { text, language, format } = query;
      const { reference, hit } = await store.fetch({ text, language, format });
      return reply
        .header(CACHE_HEADER, hit ? 'hit' : 'miss')
        .header('cache-control', 'private, max-age=300')
        .redirect(await store.url(reference), 302);
    },
  );
}
