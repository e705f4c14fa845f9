/** The reference POST /speech/compare synthesizes when the learner sends no native recording. */
import { AppError } from '../../src/errors.ts';
import { synthesisVersion, synthesize } from '../../src/native/engine.ts';
import type { SpeechCatalog } from './catalog.ts';

/** The language the acoustic model scores, whose voices may say the reference. */
const LANGUAGE = 'en';
/** espeak-ng's words per minute at speed 1. */
const BASE_RATE = 175;

export interface SynthesizedReference {
  voice: string;
  rate: number;
  /** Names this reference for the cache: the same voice, rate and engine say the target the same way. */
  id: string;
}

/** The voice (default: the English phoneme guide's) and rate of the reference, checked. */
export function synthesizedReference(catalog: SpeechCatalog, voice: string | undefined, speed: number) {
  const voices = catalog.languages.find((entry) => entry.code === LANGUAGE)?.voices.map((entry) => entry.id) ?? [];
  const chosen = voice ?? catalog.guides.get(LANGUAGE)?.voice ?? voices[0] ?? '';
  if (!voices.includes(chosen)) {
    throw new AppError(400, 'UNKNOWN_VOICE', `"${chosen}" is not an English voice`, { field: 'voice', voices });
  }
  const rate = Math.round(BASE_RATE * speed);
  return { voice: chosen, rate, id: `synthesized:${synthesisVersion()}:${chosen}:${rate}` };
}

/** espeak-ng saying the target, as a WAV file in memory: analysed like any upload. */
export async function synthesizedAudio(text: string, reference: SynthesizedReference): Promise<Buffer> {
  const { voice, rate } = reference;
  return (await synthesize(text, { language: LANGUAGE, voice, rate, format: 'wav' })).audio;
}
