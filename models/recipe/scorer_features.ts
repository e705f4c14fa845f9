/**
 * The scorer's training data: runs the engine's own analyze() over the speechocean762 TRAIN split and writes,
 * per utterance, the rows the learned scorer reads (native/src/scoring/scorer_input.h) with the experts' labels.
 * Reading the rows from the engine, not recomputing them in Python, keeps training and serving identical.
 *   node models/recipe/scorer_features.ts <out.json> [--substitute [--copies N]] [--data DIR] [--manifest ...]
 * Only train/ is read; the test split is the evaluation's (models/eval/so762.ts).
 *
 * --substitute writes simulated mispronunciations instead: in each utterance one phone the experts scored 2 (so we
 * know it was said as written) is replaced in the EXPECTED text by another phone of its class (vowel for vowel,
 * consonant for consonant), and labelled 0, for the learner said something other than what is now expected.
 * Clear substitutions are rare in speechocean762 (experts gave 0 to about 2% of phones), and without them the
 * scorer learns that a phone heard as another is still usually fine. --copies makes N such variants per utterance,
 * each with its own phone and replacement.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, loadModel, modelInfo } from '../../src/native/engine.ts';
import { readSplit, type Utterance } from '../eval/so762-data.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string', default: process.env.SO762_DIR ?? '../shared/data/speechocean762' },
    manifest: { type: 'string', default: 'models/manifest.json' },
    concurrency: { type: 'string', default: '2' },
    substitute: { type: 'boolean', default: false },
    copies: { type: 'string', default: '1' },
  },
});
const output = positionals[0];
if (!output) throw new Error('usage: scorer_features.ts <out.json>');

const dataDir = resolve(values.data);
const model = await loadModel(resolve(values.manifest));
const inventory = modelInfo(model).inventory;
const copies = values.substitute ? Number(values.copies) : 1;
const utterances = await readSplit(dataDir, 'train', inventory);
const jobs = utterances.flatMap((utterance) => Array.from({ length: copies }, (_, copy) => ({ utterance, copy })));

const round = (value: number) => Math.round(value * 1e5) / 1e5;

const VOWELS = new Set('AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW'.split(' '));
const classOf = (id: number) => VOWELS.has(inventory[id] as string);
const phoneIds = inventory.map((_, id) => id).filter((id) => inventory[id] !== 'SIL');

/** A small deterministic generator (mulberry32), seeded by the utterance id, so the recipe reproduces. */
function random(seed: string) {
  let state = [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 1);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The utterance with one well-said phone replaced in the expected text, labelled 0 (see the header). */
function substituted(utterance: Utterance, copy: number): Utterance | null {
  const next = random(`${utterance.id}:${copy}`);
  const candidates = utterance.expertPhones.flatMap((score, i) => (score === 2 ? [i] : []));
  const at = candidates[Math.floor(next() * candidates.length)];
  if (at === undefined) return null;
  let index = 0;
  const words = utterance.words.map((word) => ({
    text: word.text,
    pronunciations: word.pronunciations.map((phones) =>
      phones.map((phone) => {
        if (index++ !== at) return phone;
        const others = phoneIds.filter((id) => id !== phone && classOf(id) === classOf(phone));
        return others[Math.floor(next() * others.length)] as number;
      }),
    ),
  }));
  const expertPhones = utterance.expertPhones.map((score, i) => (i === at ? 0 : score));
  return { ...utterance, words, expertPhones };
}

async function features(original: Utterance, copy: number) {
  const utterance = values.substitute ? substituted(original, copy) : original;
  if (!utterance) return null;
  const audio = await readFile(join(dataDir, 'audio', `${utterance.id}.opus`));
  const result = await analyze(model, audio, utterance.words, { learnedScorer: false });
  if (result.alignment.status !== 'aligned' || result.phones.length !== utterance.expertPhones.length) return null;
  const { dim, rows } = result.scorerInput;
  return {
    id: utterance.id,
    phones: result.phones.map((p) => p.phone),
    words: result.phones.map((p) => p.word),
    rows: result.phones.map((_, i) => Array.from(rows.subarray(i * dim, (i + 1) * dim), round)),
    expertPhones: utterance.expertPhones,
    expertWords: utterance.expertWords,
    expert: utterance.expert,
    substituted: values.substitute,
  };
}

const records: Array<NonNullable<Awaited<ReturnType<typeof features>>>> = [];
let next = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (next < jobs.length) {
      const { utterance, copy } = jobs[next++] as (typeof jobs)[number];
      const record = await features(utterance, copy);
      if (record) records.push(record);
      else failed++;
    }
  }),
);
records.sort((a, b) => a.id.localeCompare(b.id));
const dim = records[0]?.rows[0]?.length ?? 0;
await writeFile(output, JSON.stringify({ inventory, dim, failed, utterances: records }));
console.log(
  `${records.length} train ${values.substitute ? 'substitution variants' : 'utterances'} (${failed} did not align), ${dim} values per phone -> ${output}`,
);
