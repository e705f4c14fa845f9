/** The reference POST /speech/compare synthesizes when the learner sends no native recording. */
import { synthesisVersion, synthesize } from '../../src/native/engine.ts';
import type { SpeechCatalog } from './catalog.ts';

/** espeak-ng's words per minute at speed 1. */
const BASE_RATE = 175;

export interface SynthesizedReference {
  language: string;
  voice: string;
  rate: number;
  /** Names this reference for the cache: the same language, voice, rate and engine say the target the same way. */
  id: string;
}

/** The language's voice (default: its phoneme guide's, else its first) and rate of the reference, checked. */
export function synthesizedReference(
  catalog: SpeechCatalog,
  tag: string,
  requested: string | undefined,
  speed: number,
): SynthesizedReference {
  const { language, voice } = catalog.voiceOf(tag, requested);
  const rate = Math.round(BASE_RATE * speed);
  return { language, voice, rate, id: `synthesized:${synthesisVersion()}:${language}:${voice}:${rate}` };
}

/** espeak-ng saying the target, as a WAV file in memory: analysed like any upload. */
export async function synthesizedAudio(text: string, reference: SynthesizedReference): Promise<Buffer> {
  const { language, voice, rate } = reference;
  return (await synthesize(text, { language, voice, rate, format: 'wav' })).audio;
}
