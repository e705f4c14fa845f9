import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import type { ExpectedWord, ModelHandle } from '../../src/native/engine.ts';
import { type Analyser, analysers } from './analysers.ts';
import type { AnalysisLanguages } from './analysis-languages.ts';
import { ipaOf, type SpeechCatalog } from './catalog.ts';
import { type SynthesizedReference, synthesizedAudio, synthesizedReference } from './compare-reference.ts';
import { CompareForm, CompareResponse, SPEEDS } from './compare-schemas.ts';
import { type Comparison, compareTakes, type Take, takeOf } from './compare-score.ts';
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
  type Upload,
} from './upload.ts';

const FIELDS = ['targetWord', 'language', 'phonetic', 'voice', 'speed'];

/** `id` says which reference it is, for the cache. */
type Reference =
  | { source: 'uploaded'; id: string; audio: Buffer; voice: null }
  | ({ source: 'synthesized' } & SynthesizedReference);

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const keyOf = (...parts: unknown[]) => sha256(JSON.stringify(parts));

function speedOf(value: string | undefined): number {
  const speed = value === undefined ? 1 : Number(value);
  if (!Number.isFinite(speed) || speed < SPEEDS.min || speed > SPEEDS.max) {
    throw badRequest(`speed is a number from ${SPEEDS.min} to ${SPEEDS.max}`, { field: 'speed' });
  }
  return speed;
}

function referenceOf(upload: Upload, catalog: SpeechCatalog, target: Target): Reference {
  const { voice, speed } = upload.fields;
  const audio = upload.files.referenceFile;
  if (!audio) {
    const synthesized = synthesizedReference(
      catalog,
      target.route.language,
      voice?.trim() || undefined,
      speedOf(speed),
    );
    return { source: 'synthesized', ...synthesized };
  }
  if (voice !== undefined || speed !== undefined) {
    throw badRequest('voice and speed choose the synthesized reference: leave them out when you send a referenceFile', {
      field: voice !== undefined ? 'voice' : 'speed',
    });
  }
  formatOf(audio, 'referenceFile');
  return { source: 'uploaded', id: `uploaded:${sha256(audio)}`, audio, voice: null };
}

function refuseUnknownFields(fields: Record<string, string>) {
  const unknown = Object.keys(fields).filter((field) => !FIELDS.includes(field));
  if (unknown.length > 0) throw badRequest(`Unknown fields: ${unknown.join(', ')}`, { fields: unknown });
}

function sourceOf(reference: Reference) {
  return { source: reference.source, voice: reference.voice };
}

type Answer = Comparison & { reference: ReturnType<typeof sourceOf> };

const MISMATCH = {
  uploaded: 'The reference recording does not seem to say the target: send one that does',
  synthesized: 'The synthesized reference does not fit the expected pronunciation: send a referenceFile instead',
};

/**
 * POST /speech/compare: the learner's recording against a native one (uploaded, or synthesized by espeak-ng), phone
 * by phone; the comparison itself is compare-score.ts.
 *
 * A comparison is not recorded as a word attempt: an attempt's accuracy is the learner's score against the target,
 * which POST /speech/analyze records, and the UI compares the same take it analysed, so recording it again would count
 * one try twice. Nothing is stored, so a failed request leaves nothing behind: neither recording (a reference may be
 * someone else's voice) nor a row. Comparisons are cached for an hour by the learner's bytes, the reference and the
 * expected phones, and a reference's analysis by the reference and the phones, so retries against the same reference
 * analyse only the learner's recording.
 */
export async function registerCompare(fastify: FastifyInstance, catalog: SpeechCatalog, known: AnalysisLanguages) {
  const analyserOf = await analysers(fastify, known, '/speech/compare');
  const refusal = (tag: string) => `Comparison is not available for "${tag}"`;
  /** A phone of the analyser's model as the answer names it: the guide's symbol and IPA. */
  const labelsOf = (analyser: Analyser, target: Target) => {
    const guide = catalog.guides.get(target.route.guide);
    return (phone: number) => {
      const phoneme = analyser.inventory[phone] ?? '?';
      return { phoneme, ipa: ipaOf(guide, phoneme) };
    };
  };

  async function learnerTake(handle: ModelHandle, audio: Buffer, words: ExpectedWord[]) {
    const result = await runAnalysis(handle, audio, words, 'audioFile');
    assertSpoken(result);
    return takeOf(result);
  }

  async function referenceTake(handle: ModelHandle, audio: Buffer, words: ExpectedWord[], reference: Reference) {
    // A synthesized reference that fails is our doing, not something the learner can fix in a field.
    const result = await runAnalysis(
      handle,
      audio,
      words,
      reference.source === 'uploaded' ? 'referenceFile' : undefined,
    );
    assertSpoken(result, 'REFERENCE_MISMATCH', MISMATCH[reference.source]);
    return takeOf(result);
  }

  /**
   * The reference's analysis, cached by what the reference is: its bytes when uploaded, its voice and speed when
   * synthesized (espeak-ng's samples differ slightly from one call to the next, so its bytes would never hit).
   */
  function referenceTakeOf(handle: ModelHandle, target: Target, words: ExpectedWord[], reference: Reference) {
    return fastify.cache.wrap<Take>(
      'analysis',
      `analysis:reference:${keyOf(reference.id, target.route.model, words)}`,
      async () => {
        const audio =
          reference.source === 'uploaded' ? reference.audio : await synthesizedAudio(target.target, reference);
        return referenceTake(handle, audio, words, reference);
      },
    );
  }

  fastify.post(
    '/compare',
    {
      config: { rateLimit: speechRateLimit(fastify) },
      // The multipart form is read and checked by the handler; CompareForm documents it.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['speech'],
        security: bearerAuth,
        summary: 'Compare my recording with a native reference, phoneme by phoneme',
        description:
          'multipart/form-data. Both recordings are aligned to the same expected phonemes, so each phoneme of yours is paired with the reference’s: `phones` and `words` are two timelines to draw side by side. `similarity` = 0.7 sound (how alike the acoustic model heard each pair of phonemes) + 0.2 rhythm (each phoneme’s share of the speaking time, so a slower tempo alone costs nothing) + 0.1 pace (speaking rate within 2/3-1.5 times the reference’s, and pauses). Without `referenceFile` the reference is espeak-ng saying the target (`voice`, `speed`). Not recorded as a word attempt (POST /speech/analyze does that) and nothing is stored; the same recordings and target are answered from a cache for an hour (header `x-analysis-cache`). 10 a minute per learner. A recording that does not say the target is refused: yours with 422 SPEECH_MISMATCH, the reference with 422 REFERENCE_MISMATCH; audio errors name the file in `details.field`. `language` is any that POST /speech/analyze scores (another gets 400 UNSUPPORTED_LANGUAGE with `details.supported`); phonemes are named as there (ARPAbet for English, IPA for the others), and the synthesized reference speaks with a voice of that language (`voices[].id` of GET /speech/supported-languages; a voice of another language gets 400 UNKNOWN_VOICE). The overall weights and verdict thresholds were measured on English; in the other languages the phone scores are the calibrated GOP of a model trained on synthetic speech only.',
        consumes: ['multipart/form-data'],
        body: CompareForm,
        response: {
          200: CompareResponse,
          ...errorResponses(401, 403, 429, ...RECORDING_ERRORS, {
            status: 422,
            code: 'REFERENCE_MISMATCH',
            message: MISMATCH.uploaded,
            details: { alignment: 'aligned', gapPerFrame: 2.4 },
          }),
        },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, ['audioFile', 'referenceFile']);
      refuseUnknownFields(upload.fields);
      const target = targetOf(upload.fields, known, refusal);
      const audio = requiredFile(upload, 'audioFile');
      formatOf(audio, 'audioFile');
      const reference = referenceOf(upload, catalog, target);
      const analyser = analyserOf(target);
      const { handle } = analyser;
      const words = await analyser.expectedWords(target);
      const key = `analysis:compare:${keyOf(sha256(audio), reference.id, target.route.model, words)}`;
      const cached = await fastify.cache.get<Answer>(key);
      reply.header('x-analysis-cache', cached ? 'hit' : 'miss');
      if (cached) return cached;
      // Both analyses side by side on the thread pool; the learner's failure is reported first.
      const [learner, native] = await allInOrder([
        learnerTake(handle, audio, words),
        referenceTakeOf(handle, target, words, reference),
      ]);
      const comparison = compareTakes(learner, native, labelsOf(analyser, target));
      const answer: Answer = { ...comparison, reference: { ...comparison.reference, ...sourceOf(reference) } };
      await fastify.cache.set('analysis', key, answer);
      return answer;
    },
  );
}
