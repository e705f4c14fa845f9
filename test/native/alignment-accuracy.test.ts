/**
 * Forced-alignment accuracy against espeak-ng's exact phone timings, through analyze() with the REAL English model, as
 * the API calls it: the sentences of fixtures/alignment-sentences.txt (all 39 phones) in several espeak voices, speeds
 * and pitches, as a WAV upload. The bound: at least 80% of phone boundaries within 20 ms (native/ALIGNMENT.md,
 * "Accuracy on espeak-ng speech", defines the boundaries). Skipped where the model is absent; needs the built addon.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { pronounceText } from '../../plugins/speech/pronunciation.ts';
import { analyze, loadModel, type ModelHandle, modelInfo, synthesize } from '../../src/native/engine.ts';
import { type Boundary, boundaryErrors, saidWords, type TruePhone, truePhones } from './espeak-timings.ts';
import { wav } from './wav.ts';

const MANIFEST = fileURLToPath(new URL('../../models/manifest.json', import.meta.url));
const skip = existsSync(MANIFEST) ? false : 'models/manifest.json is absent: train or fetch the model to run this test';
const SENTENCES = readFileSync(new URL('fixtures/alignment-sentences.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const TOLERANCE_MS = 20;
const BOUND = 0.8;

type Voice = { language: string; rate: number; pitch: number };

/** American voices as the product's reference is American, one British one; espeak's default speed, slower, faster. */
const VOICES: Array<Voice> = [
  { language: 'en-us', rate: 175, pitch: 50 },
  { language: 'en-us', rate: 130, pitch: 30 },
  { language: 'en-us', rate: 250, pitch: 75 },
  { language: 'en-us-nyc', rate: 175, pitch: 50 },
  { language: 'en-gb-x-rp', rate: 160, pitch: 60 },
];

/**
 * espeak's samples as they are (a tenth of them exactly zero: digital silence, which no microphone gives), and with
 * the noise floor of a quiet microphone: white noise at -70 dBFS RMS, seeded, so every run hears the same.
 */
const CONDITIONS: Array<[string, (samples: Float32Array) => Float32Array]> = [
  ['as synthesized', (samples) => samples],
  ['-70 dBFS noise floor', (samples) => withNoise(samples, 10 ** (-70 / 20))],
];

function withNoise(samples: Float32Array, rms: number): Float32Array {
  let state = 12345;
  const amplitude = rms * Math.sqrt(12); // uniform on [-a/2, a/2] has RMS a / sqrt(12)
  return samples.map((sample) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return sample + amplitude * (state / 2 ** 32 - 0.5);
  });
}

const CLASSES: Record<string, string[]> = {
  vowel: ['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW'],
  stop: ['P', 'B', 'T', 'D', 'K', 'G'],
  affricate: ['CH', 'JH'],
  fricative: ['F', 'V', 'TH', 'DH', 'S', 'Z', 'SH', 'ZH', 'HH'],
  nasal: ['M', 'N', 'NG'],
  approximant: ['L', 'R', 'W', 'Y'],
};

interface Clip {
  voice: Voice;
  samples: Float32Array;
  truth: TruePhone[];
  words: ReturnType<typeof saidWords>;
  /** espeak said other phones than the product's word-by-word pronunciation. */
  differs: boolean;
}

let inventory: string[] = [];

async function clips(model: ModelHandle): Promise<Clip[]> {
  inventory = modelInfo(model).inventory;
  const out: Clip[] = [];
  for (const text of SENTENCES) {
    const expected = await pronounceText(text, inventory);
    const expectedPhones = expected.flatMap((word) => word.pronunciations[0] ?? []).join(' ');
    for (const voice of VOICES) {
      const speech = await synthesize(text, voice);
      const truth = truePhones(speech, inventory);
      const words = saidWords(expected, truth);
      const differs = truth.flatMap((phone) => phone.phones).join(' ') !== expectedPhones;
      out.push({ voice, samples: speech.samples, truth, words, differs });
    }
  }
  return out;
}

function share(boundaries: Boundary[]): number {
  return boundaries.filter((b) => Math.abs(b.errorMs) <= TOLERANCE_MS).length / Math.max(1, boundaries.length);
}

function figures(boundaries: Boundary[]): string {
  const mean = boundaries.reduce((sum, b) => sum + b.errorMs, 0) / Math.max(1, boundaries.length);
  return `${(share(boundaries) * 100).toFixed(1).padStart(5)}% of ${String(boundaries.length).padStart(4)} (mean ${mean.toFixed(1)} ms)`;
}

function voiceName(voice: Voice): string {
  return `${voice.language} ${voice.rate} wpm pitch ${voice.pitch}`;
}

function report(t: Test, all: Boundary[], byVoice: Map<string, Boundary[]>) {
  const of = (names: string[]) => all.filter((b) => names.includes(inventory[b.phone] ?? ''));
  t.comment(`all boundaries   ${figures(all)}`);
  for (const side of ['start', 'end'] as const)
    t.comment(`${side.padEnd(16)} ${figures(all.filter((b) => b.side === side))}`);
  for (const [name, list] of byVoice) t.comment(`${name.padEnd(30)} ${figures(list)}`);
  for (const [name, phones] of Object.entries(CLASSES)) t.comment(`${name.padEnd(16)} ${figures(of(phones))}`);
  const perPhone = Object.values(CLASSES)
    .flat()
    .map((phone) => `${phone} ${(share(of([phone])) * 100).toFixed(0)}`);
  t.comment(`per phone, % within ${TOLERANCE_MS} ms: ${perPhone.join(', ')}`);
}

t.test(
  `phone boundaries of espeak-ng speech: at least ${BOUND * 100}% within ${TOLERANCE_MS} ms`,
  { skip },
  async (t) => {
    const model = await loadModel(MANIFEST);
    const all = await clips(model);
    const said = new Set(all.flatMap((clip) => clip.truth.flatMap((phone) => phone.phones)));
    t.same(
      inventory.filter((phone, id) => phone !== 'SIL' && !said.has(id)),
      [],
      'the sentences cover every phone of the model',
    );
    t.comment(
      `${SENTENCES.length} sentences x ${VOICES.length} voices, ${all.reduce((n, c) => n + c.truth.length, 0)} espeak ` +
        `phones; ${all.filter((c) => c.differs).length} clips said otherwise than pronounceText`,
    );
    for (const [condition, transform] of CONDITIONS) {
      await t.test(condition, async (t) => {
        const boundaries: Boundary[] = [];
        const byVoice = new Map<string, Boundary[]>();
        const unaligned: string[] = [];
        for (const clip of all) {
          const result = await analyze(model, wav(transform(clip.samples)), clip.words);
          if (result.alignment.status !== 'aligned') {
            unaligned.push(`${voiceName(clip.voice)}: ${result.alignment.status}`);
            continue;
          }
          const errors = boundaryErrors(clip.truth, result.phones);
          boundaries.push(...errors);
          byVoice.set(voiceName(clip.voice), [...(byVoice.get(voiceName(clip.voice)) ?? []), ...errors]);
        }
        t.same(unaligned, [], 'every clip aligns');
        report(t, boundaries, byVoice);
        t.ok(
          share(boundaries) >= BOUND,
          `${(share(boundaries) * 100).toFixed(1)}% of boundaries within ${TOLERANCE_MS} ms`,
        );
        for (const [name, list] of byVoice) t.ok(share(list) >= BOUND, `${name}: ${(share(list) * 100).toFixed(1)}%`);
      });
    }
  },
);
