import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Utterance {
  id: string;
  /** Canonical pronunciation per word, as phone ids of the model's inventory. */
  words: Array<{ text: string; pronunciations: number[][] }>;
  /** The experts' mean score of each canonical phone, 0-2, in order. */
  expertPhones: number[];
  expertWords: Array<{ accuracy: number; stress: number; total: number }>;
  expert: { accuracy: number; completeness: number; fluency: number; prosodic: number; total: number };
}

/**
 * One split's utterances with their canonical phones and expert scores (scores.tsv, see the corpus README).
 * The evaluation reads only 'test'; the scorer's training (models/recipe/scorer_features.ts) only 'train'.
 */
export async function readSplit(dataDir: string, split: 'train' | 'test', inventory: string[]): Promise<Utterance[]> {
  const ids = new Set(
    (await readFile(join(dataDir, split, 'text'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t')[0]),
  );
  const phoneId = (cmu: string) => {
    const index = inventory.indexOf(cmu.replace(/\d$/, ''));
    if (index < 0) throw new Error(`phone ${cmu} is not in the model's inventory`);
    return index;
  };
  const rows = (await readFile(join(dataDir, 'scores.tsv'), 'utf8')).split('\n').filter(Boolean);
  return rows
    .map((row) => row.split('\t'))
    .filter(([id]) => ids.has(id))
    .map(([id, accuracy, completeness, fluency, prosodic, total, , words]) => {
      const parsed = (words ?? '').split(' | ').map((entry) => {
        const [text, wordAccuracy, wordStress, wordTotal, phones, phoneScores] = entry.split(';');
        return {
          text: text ?? '',
          phones: (phones ?? '').split(' ').map(phoneId),
          scores: (phoneScores ?? '').split(' ').map(Number),
          accuracy: Number(wordAccuracy),
          stress: Number(wordStress),
          total: Number(wordTotal),
        };
      });
      return {
        id: id ?? '',
        words: parsed.map((w) => ({ text: w.text, pronunciations: [w.phones] })),
        expertPhones: parsed.flatMap((w) => w.scores),
        expertWords: parsed.map((w) => ({ accuracy: w.accuracy, stress: w.stress, total: w.total })),
        expert: {
          accuracy: Number(accuracy),
          completeness: Number(completeness),
          fluency: Number(fluency),
          prosodic: Number(prosodic),
          total: Number(total),
        },
      };
    });
}

export function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / n;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
