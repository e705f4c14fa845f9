/** The reference POST /speech/compare synthesizes when the learner sends no native recording. */
import { AppError } from '../../src/errors.ts';
import { synthesize } from '../../src/native/engine.ts';
import type { SpeechCatalog } from './catalog.ts';

export const DEFAULT_VOICE = 'gmw/en-US';
/** espeak-ng's default rate, what speed 1 means. */
const WORDS_PER_MINUTE = 175;

/**
 * English voices by id, each with the espeak-ng language tag that selects it: the tag whose preferred voice it is
 * (gmw/en-GB-x-rp: en-gb-x-rp). synthesize() picks a voice by language tag.
 */
export function englishVoices(catalog: SpeechCatalog): Map<string, string> {
  const voices = new Map<string, string>();
  for (const language of catalog.languages) {
    const preferred = language.voices[0]?.id;
    if (preferred && (language.code === 'en' || language.code.startsWith('en-')) && !voices.has(preferred)) {
      voices.set(preferred, language.code);
    }
  }
  return voices;
}

export function voiceTag(voices: Map<string, string>, voice: string): string {
  const tag = voices.get(voice);
  if (!tag) {
    throw new AppError(400, 'UNSUPPORTED_VOICE', `There is no English voice "${voice}"`, {
      field: 'voice',
      supported: [...voices.keys()],
    });
  }
  return tag;
}

/** 16-bit PCM WAV of mono float samples, the container analyze() reads like any upload. */
export function pcmWav(samples: Float32Array, sampleRate: number): Buffer {
  const bytes = Buffer.alloc(44 + samples.length * 2);
  const header: Array<[string | number, number, 'text' | 16 | 32]> = [
    ['RIFF', 0, 'text'],
    [36 + samples.length * 2, 4, 32],
    ['WAVEfmt ', 8, 'text'],
    [16, 16, 32], // fmt chunk size
    [1, 20, 16], // PCM
    [1, 22, 16], // mono
    [sampleRate, 24, 32],
    [sampleRate * 2, 28, 32], // bytes per second
    [2, 32, 16], // bytes per frame
    [16, 34, 16], // bits per sample
    ['data', 36, 'text'],
    [samples.length * 2, 40, 32],
  ];
  for (const [value, offset, kind] of header) {
    if (kind === 'text') bytes.write(value as string, offset, 'latin1');
    else if (kind === 16) bytes.writeUInt16LE(value as number, offset);
    else bytes.writeUInt32LE(value as number, offset);
  }
  samples.forEach((sample, i) => {
    bytes.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), 44 + i * 2);
  });
  return bytes;
}

/** espeak-ng saying the target, as a WAV file in memory. */
export async function synthesizedReference(text: string, languageTag: string, speed: number): Promise<Buffer> {
  const speech = await synthesize(text, { language: languageTag, rate: Math.round(WORDS_PER_MINUTE * speed) });
  return pcmWav(speech.samples, speech.sampleRate);
}
