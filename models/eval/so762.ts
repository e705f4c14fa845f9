/**
 * Scores the speechocean762 TEST split with the same native engine the API uses and compares it with the experts:
 *   npm run eval:so762 [-- --limit N] [-- --concurrency 2]
 * Nothing here feeds back into training, tuning or calibration: the recipe reads only the train lists.
 * Prints the table of BENCHMARKS.md and writes models/eval/so762-results.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AnalysisResult, analyze, loadModel, modelInfo } from '../../src/native/engine.ts';
import { pearson, readTestSplit, type Utterance } from './so762-data.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.SO762_DIR ?? '../shared/data/speechocean762' },
    manifest: { type: 'string', default: 'models/manifest.json' },
    limit: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
  },
});

/** Fixed before looking at any result: the calibration's midpoint, where a phone is as likely wrong as right. */
const MISPRONOUNCED_BELOW = 50;

const dataDir = resolve(values.data);
const model = await loadModel(resolve(values.manifest));
const inventory = modelInfo(model).inventory;
const utterances = (await readTestSplit(dataDir, inventory)).slice(0, values.limit ? Number(values.limit) : undefined);

const started = performance.now();
const results = new Map<string, AnalysisResult>();
let next = 0;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (next < utterances.length) {
      const utterance = utterances[next++] as Utterance;
      const audio = await readFile(join(dataDir, 'audio', `${utterance.id}.opus`));
      results.set(utterance.id, await analyze(model, audio, utterance.words));
    }
  }),
);
const seconds = (performance.now() - started) / 1000;

const phone = { predicted: [] as number[], expert: [] as number[] };
const word = { predicted: [] as number[], accuracy: [] as number[], total: [] as number[] };
const sentence = { accuracy: [] as number[], completeness: [] as number[], expertAccuracy: [] as number[] };
const sentenceExpert = { completeness: [] as number[], total: [] as number[] };
const detection = { tp: 0, fp: 0, fn: 0 };
let failed = 0;

for (const utterance of utterances) {
  const result = results.get(utterance.id) as AnalysisResult;
  const scored = result.phones;
  if (result.alignment.status !== 'aligned' || scored.length !== utterance.expertPhones.length) {
    failed++;
    continue;
  }
  scored.forEach((p, i) => {
    const expert = utterance.expertPhones[i] as number;
    phone.predicted.push(p.score / 50);
    phone.expert.push(expert);
    const flagged = p.score < MISPRONOUNCED_BELOW;
    const wrong = expert < 0.5;
    if (flagged && wrong) detection.tp++;
    else if (flagged) detection.fp++;
    else if (wrong) detection.fn++;
  });
  utterance.expertWords.forEach((expertWord, w) => {
    const scores = scored.filter((p) => p.word === w).map((p) => p.score);
    const mean = scores.reduce((a, b) => a + b, 0) / Math.max(scores.length, 1);
    word.predicted.push(mean / 10);
    word.accuracy.push(expertWord.accuracy);
    word.total.push(expertWord.total);
  });
  const deleted = result.edits.filter((edit) => edit.kind === 'deletion').length;
  sentence.accuracy.push(scored.reduce((a, p) => a + p.score, 0) / scored.length / 10);
  sentence.completeness.push(10 * (1 - deleted / scored.length));
  sentence.expertAccuracy.push(utterance.expert.accuracy);
  sentenceExpert.completeness.push(utterance.expert.completeness);
  sentenceExpert.total.push(utterance.expert.total);
}

const mse = phone.predicted.reduce((a, p, i) => a + (p - (phone.expert[i] as number)) ** 2, 0) / phone.predicted.length;
const precision = detection.tp / Math.max(detection.tp + detection.fp, 1);
const recall = detection.tp / Math.max(detection.tp + detection.fn, 1);
const figures = {
  utterances: utterances.length,
  failedToAlign: failed,
  phones: phone.predicted.length,
  phoneMse: mse,
  phonePcc: pearson(phone.predicted, phone.expert),
  wordAccuracyPcc: pearson(word.predicted, word.accuracy),
  wordStressPcc: null,
  wordTotalPcc: pearson(word.predicted, word.total),
  utteranceAccuracyPcc: pearson(sentence.accuracy, sentence.expertAccuracy),
  utteranceCompletenessPcc: pearson(sentence.completeness, sentenceExpert.completeness),
  utteranceFluencyPcc: null,
  utteranceProsodicPcc: null,
  utteranceTotalPcc: pearson(sentence.accuracy, sentenceExpert.total),
  mispronunciation: {
    threshold: MISPRONOUNCED_BELOW,
    precision,
    recall,
    f1: (2 * precision * recall) / Math.max(precision + recall, 1e-9),
  },
  seconds,
  machine: `${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, concurrency ${values.concurrency}`,
};
await writeFile(new URL('./so762-results.json', import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);

const show = (value: number | null) =>
  value === null ? 'not predicted yet' : Number.isNaN(value) ? 'undefined (no variance)' : value.toFixed(3);
console.log(
  `\nspeechocean762 test split: ${utterances.length} utterances, ${failed} failed to align, ${seconds.toFixed(0)} s`,
);
console.table({
  'phone MSE (0-2 scale)': show(figures.phoneMse),
  'phone PCC': show(figures.phonePcc),
  'word accuracy PCC': show(figures.wordAccuracyPcc),
  'word stress PCC': show(figures.wordStressPcc),
  'word total PCC': show(figures.wordTotalPcc),
  'utterance accuracy PCC': show(figures.utteranceAccuracyPcc),
  'utterance completeness PCC': show(figures.utteranceCompletenessPcc),
  'utterance fluency PCC': show(figures.utteranceFluencyPcc),
  'utterance prosodic PCC': show(figures.utteranceProsodicPcc),
  'utterance total PCC': show(figures.utteranceTotalPcc),
  'mispronunciation precision': show(precision),
  'mispronunciation recall': show(recall),
  'mispronunciation F1': show(figures.mispronunciation.f1),
});
