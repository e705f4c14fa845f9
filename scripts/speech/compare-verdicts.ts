/**
 * The measurements behind POST /speech/compare's sound verdicts (plugins/speech/compare-score.ts): espeak-ng says
 * words with one phone substituted ("sink" for "think") and the same targets in other voices, rates and pitches, and
 * each take is compared with the default voice's reference exactly as the API compares them. Prints every phone
 * whose overlap falls below 90 or whose verdict is not 'good', so a new acoustic model's effect on the verdicts can
 * be read before it ships:
 *   node scripts/speech/compare-verdicts.ts
 */
import { ENGLISH_MANIFEST } from '../../plugins/speech/analysis-languages.ts';
import { compareTakes, takeOf } from '../../plugins/speech/compare-score.ts';
import { pronounceText } from '../../plugins/speech/pronunciation.ts';
import { analyze, loadModel, modelInfo, type SynthesisOptions, synthesize } from '../../src/native/engine.ts';

/** Target, and what is said instead (the same text: a variant of the right pronunciation). */
const TARGETS: Array<[string, string]> = [
  ['think', 'sink'],
  ['ship', 'sip'],
  ['three', 'tree'],
  ['very', 'berry'],
  ['think', 'think'],
  ['water', 'water'],
  ['the weather is nice today', 'the weather is nice today'],
  ['she sells sea shells', 'she sells sea shells'],
];
const VOICES: Array<Omit<SynthesisOptions, 'format'>> = [
  {},
  { voice: 'gmw/en-US', rate: 130 },
  { voice: 'gmw/en-US', rate: 130, pitch: 70 },
  { language: 'en-us-nyc' },
  { language: 'en-gb-x-rp' },
  { pitch: 20 },
  { pitch: 85 },
  { rate: 100 },
  { rate: 250 },
];

const model = await loadModel(ENGLISH_MANIFEST);
const inventory = modelInfo(model).inventory;
const label = (phone: number) => ({ phoneme: inventory[phone] ?? '?', ipa: inventory[phone] ?? '?' });

async function take(text: string, target: string, voice: Omit<SynthesisOptions, 'format'>) {
  const { audio } = await synthesize(text, { language: 'en-us', ...voice, format: 'wav' });
  const result = await analyze(model, audio, await pronounceText(target, inventory), {});
  return result.alignment.status === 'aligned' ? takeOf(result) : undefined;
}

const rows: Array<Record<string, string | number>> = [];
for (const [target, said] of TARGETS) {
  const reference = await take(target, target, {});
  if (!reference) throw new Error(`the reference "${target}" did not align`);
  // The substituted word in the reference's own voice; a right one in every other voice.
  for (const voice of said === target ? VOICES.slice(1) : [{}]) {
    const heading = { target, said, voice: JSON.stringify(voice) };
    const learner = await take(said, target, voice);
    if (!learner) {
      rows.push({ ...heading, verdict: 'not aligned' });
      continue;
    }
    for (const { position, phoneme, similarity, scoreGap, verdict } of compareTakes(learner, reference, label).phones) {
      if (similarity < 90 || verdict !== 'good')
        rows.push({ ...heading, position, phoneme, similarity, scoreGap, verdict });
    }
  }
}
console.table(rows);
