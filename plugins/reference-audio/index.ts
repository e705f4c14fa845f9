import type { FastifyInstance } from 'fastify';
import { SpeechCatalog } from '../speech/catalog.ts';
import { registerReferenceAudioLinks } from '../speech/generate-audio.ts';

export const autoPrefix = '/speech';

/**
 * The signed reference-audio links of the phoneme guides, outside the speech plugin because that one requires a bearer
 * token on every route and an <audio src> cannot send one.
 */
export default async function referenceAudio(fastify: FastifyInstance) {
  await registerReferenceAudioLinks(fastify, await SpeechCatalog.shared());
}
