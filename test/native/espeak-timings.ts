/**
 * espeak-ng's own phone timings as the truth for the aligner, and how aligned phones are scored against them
 * (native/ALIGNMENT.md, "Accuracy on espeak-ng speech").
 */
import { parsePhonetic } from '../../plugins/speech/pronunciation.ts';
import type { AnalyzedPhone, ExpectedWord, SynthesizedSpeech } from '../../src/native/engine.ts';

/** One phone espeak-ng said, with the model phones (one or two) the product maps its IPA to. */
export interface TruePhone {
  ipa: string;
  startMs: number;
  endMs: number;
  phones: number[];
}

export interface Boundary {
  side: 'start' | 'end';
  /** The model phone on the scored side of the boundary. */
  phone: number;
  /** Aligned minus true, ms. */
  errorMs: number;
}

/** The product's IPA -> CMU mapping, through its transcription parser: one "word" made of one espeak phone. */
function modelPhones(ipa: string, inventory: string[]): number[] {
  const [word] = parsePhonetic(ipa, ipa, inventory);
  return word?.pronunciations[0] ?? [];
}

/** espeak's timed phones with their model phones: by default the English mapping, else `toModel`'s. */
export function truePhones(
  speech: SynthesizedSpeech,
  inventory: string[],
  toModel: (ipa: string) => number[] = (ipa) => modelPhones(ipa, inventory),
): TruePhone[] {
  return speech.phones.map((phone) => ({ ...phone, phones: toModel(phone.ipa) }));
}

/** Minimum edit distance table between two phone sequences, unit costs. */
function editTable(a: number[], b: number[]): number[][] {
  const table = a.map(() => [] as number[]).concat([[]]);
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      const row = table[i] as number[];
      if (i === 0 || j === 0) row[j] = i + j;
      else {
        const diagonal = (table[i - 1]?.[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
        row[j] = Math.min(diagonal, (table[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1);
      }
    }
  }
  return table;
}

/** For each said phone, the word of the expected phone it lines up with; -1 for a phone espeak added. */
function wordOfSaid(expected: Array<{ phone: number; word: number }>, said: number[]): number[] {
  const table = editTable(
    expected.map((e) => e.phone),
    said,
  );
  const words = said.map(() => -1);
  const at = (i: number, j: number) => table[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = expected.length, j = said.length; j > 0; ) {
    const substitution = expected[i - 1]?.phone === said[j - 1] ? 0 : 1;
    if (i > 0 && at(i, j) === at(i - 1, j - 1) + substitution) words[--j] = expected[--i]?.word ?? -1;
    else if (i > 0 && at(i, j) === at(i - 1, j) + 1) i--;
    else j--;
  }
  // An added phone (a linking r) belongs to the word before it; at the very start, to the first word.
  words.forEach((word, j) => {
    if (word < 0) words[j] = j > 0 ? (words[j - 1] ?? 0) : Math.max(0, words.find((w) => w >= 0) ?? 0);
  });
  return words;
}

/**
 * The product's expected words with their phones replaced by what espeak said. In context espeak says a few phones
 * other than its word-by-word pronunciation (a linking r in "our old", a weak "a"), and the aligner must be given
 * what was said for its boundaries to be comparable. Each said phone joins the word of the expected phone it lines
 * up with (minimum edit distance); a word left without phones is dropped.
 */
export function saidWords(expected: ExpectedWord[], said: TruePhone[]): ExpectedWord[] {
  const flat = expected.flatMap((word, i) => (word.pronunciations[0] ?? []).map((phone) => ({ phone, word: i })));
  const phones = said.flatMap((phone) => phone.phones);
  const words = wordOfSaid(flat, phones);
  return expected
    .map((word, i) => ({ text: word.text, pronunciations: [phones.filter((_, j) => words[j] === i)] }))
    .filter((word) => (word.pronunciations[0]?.length ?? 0) > 0);
}

/**
 * Both boundaries of every espeak phone against the aligned phones (one per model phone, in order): its start
 * against the start of its first model phone, its end against the end of its last. The boundary inside an espeak
 * phone that maps to two model phones is not scored: espeak has none.
 */
export function boundaryErrors(truth: TruePhone[], aligned: AnalyzedPhone[]): Boundary[] {
  const expectedCount = truth.reduce((n, phone) => n + phone.phones.length, 0);
  if (aligned.length !== expectedCount) {
    throw new Error(`${aligned.length} aligned phones for the ${expectedCount} espeak said`);
  }
  let next = 0;
  return truth.flatMap((phone) => {
    const first = aligned[next] as AnalyzedPhone;
    const last = aligned[next + phone.phones.length - 1] as AnalyzedPhone;
    next += phone.phones.length;
    return [
      { side: 'start' as const, phone: first.phone, errorMs: first.startMs - phone.startMs },
      { side: 'end' as const, phone: last.phone, errorMs: last.endMs - phone.endMs },
    ];
  });
}
