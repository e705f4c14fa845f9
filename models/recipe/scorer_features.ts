/**
 * The scorer's training data: runs the engine's own analyze() over the speechocean762 TRAIN split and writes,
 * per utterance, the rows the learned scorer reads (native/src/scoring/scorer_input.h) with the experts' labels.
 * Reading the rows from the engine, not recomputing them in Python, keeps training and serving identical.
 *   node models/recipe/scorer_features.ts <out.json> [--data DIR] [--manifest models/manifest.json]
 * Only train/ is read; the test split is the evaluation's (models/eval/so762.ts).
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
  },
});
const output = positionals[0];
if (!output) throw new Error('usage: scorer_features.ts <out.json>');

const dataDir = resolve(values.data);
const model = await loadModel(resolve(values.manifest));
const inventory = modelInfo(model).inventory;
const utterances = await readSplit(dataDir, 'train', inventory);

const round = (value: number) => Math.round(value * 1e5) / 1e5;

async function features(utterance: Utterance) {
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
  };
}

const records: Array<NonNullable<Awaited<ReturnType<typeof features>>>> = [];
let next = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (next < utterances.length) {
      const record = await features(utterances[next++] as Utterance);
      if (record) records.push(record);
      else failed++;
    }
  }),
);
records.sort((a, b) => a.id.localeCompare(b.id));
const dim = records[0]?.rows[0]?.length ?? 0;
await writeFile(output, JSON.stringify({ inventory, dim, failed, utterances: records }));
console.log(`${records.length} train utterances (${failed} did not align), ${dim} values per phone -> ${output}`);
