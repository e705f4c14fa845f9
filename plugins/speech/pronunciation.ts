import { AppError } from '../../src/errors.ts';
import { type ExpectedWord, textToPhonemes } from '../../src/native/engine.ts';

/**
 * espeak-ng's American English IPA (and what learners type between slashes) onto the model's CMU phones. Some IPA
 * phones are two CMU phones (syllabic consonants, r-colored diphthongs); the flap and the glottal stop are /t/.
 */
const IPA_TO_CMU: Record<string, string[]> = {
  p: ['P'],
  b: ['B'],
  t: ['T'],
  d: ['D'],
  k: ['K'],
  g: ['G'],
  ɡ: ['G'],
  ʔ: ['T'],
  ɾ: ['T'],
  f: ['F'],
  v: ['V'],
  θ: ['TH'],
  ð: ['DH'],
  s: ['S'],
  z: ['Z'],
  ʃ: ['SH'],
  ʒ: ['ZH'],
  h: ['HH'],
  x: ['HH'],
  tʃ: ['CH'],
  dʒ: ['JH'],
  m: ['M'],
  n: ['N'],
  ŋ: ['NG'],
  l: ['L'],
  ɹ: ['R'],
  r: ['R'],
  w: ['W'],
  j: ['Y'],
  n̩: ['AH', 'N'],
  l̩: ['AH', 'L'],
  m̩: ['AH', 'M'],
  əl: ['AH', 'L'],
  i: ['IY'],
  iː: ['IY'],
  ɪ: ['IH'],
  ᵻ: ['IH'],
  e: ['EY'],
  eɪ: ['EY'],
  ɛ: ['EH'],
  æ: ['AE'],
  a: ['AA'],
  ɑ: ['AA'],
  ɑː: ['AA'],
  ɒ: ['AA'],
  ɔ: ['AO'],
  ɔː: ['AO'],
  o: ['OW'],
  oʊ: ['OW'],
  əʊ: ['OW'],
  ʊ: ['UH'],
  u: ['UW'],
  uː: ['UW'],
  ʌ: ['AH'],
  ə: ['AH'],
  ɐ: ['AH'],
  ɜ: ['ER'],
  ɜː: ['ER'],
  ɝ: ['ER'],
  ɚ: ['ER'],
  aɪ: ['AY'],
  aʊ: ['AW'],
  ɔɪ: ['OY'],
  ɪɹ: ['IH', 'R'],
  ɛɹ: ['EH', 'R'],
  ʊɹ: ['UH', 'R'],
  ɔːɹ: ['AO', 'R'],
  ɑːɹ: ['AA', 'R'],
  oːɹ: ['AO', 'R'],
  aɪɚ: ['AY', 'ER'],
  aɪə: ['AY', 'AH'],
  iə: ['IY', 'AH'],
};
const SYMBOLS = Object.keys(IPA_TO_CMU).sort((a, b) => b.length - a.length);
/** Stress, length and syllable marks, ties and slashes carry no phone of their own. */
const MARKS = /[ˈˌ.ːˑ‿/[\]]|\u0361/gu;

function toCmu(ipa: string, inventory: string[]): number[] | null {
  const ids: number[] = [];
  let rest = ipa.normalize('NFC');
  while (rest.length > 0) {
    const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate));
    if (!symbol) {
      const bare = rest.replace(MARKS, '');
      if (bare.length === rest.length) return null;
      rest = bare;
      continue;
    }
    ids.push(...(IPA_TO_CMU[symbol] ?? []).map((cmu) => inventory.indexOf(cmu)));
    rest = rest.slice(symbol.length);
  }
  return ids;
}

/**
 * Learners practise the same lesson words over and over, and espeak-ng runs one call at a time on its own thread:
 * remembering recent pronunciations takes it off the path of most analyses. Bounded, oldest out first.
 */
const PRONUNCIATIONS_KEPT = 2000;
/** Per inventory (the model's list, one array per loaded model), by language and text. */
const remembered = new WeakMap<string[], Map<string, ExpectedWord[]>>();

/** `pronounce()`'s words for `key`, from memory when this model's words for it were made recently. */
export async function rememberedWords(
  inventory: string[],
  key: string,
  pronounce: () => Promise<ExpectedWord[]>,
): Promise<ExpectedWord[]> {
  let pronunciations = remembered.get(inventory);
  if (!pronunciations) {
    pronunciations = new Map();
    remembered.set(inventory, pronunciations);
  }
  const known = pronunciations.get(key);
  if (known) return known;
  const expected = await pronounce();
  if (pronunciations.size >= PRONUNCIATIONS_KEPT) pronunciations.delete(pronunciations.keys().next().value as string);
  pronunciations.set(key, expected);
  return expected;
}

/** The expected words of a target text, pronounced by espeak-ng. */
export function pronounceText(text: string, inventory: string[]): Promise<ExpectedWord[]> {
  return rememberedWords(inventory, `en-us\n${text}`, async () => {
    const { words } = await textToPhonemes(text, 'en-us');
    return words.map((word) => {
      const ids = toCmu(word.phones.map((phone) => phone.ipa).join(''), inventory);
      if (!ids) throw new AppError(422, 'UNPRONOUNCEABLE', `"${word.text}" has a sound the model does not know`);
      return { text: word.text, pronunciations: [ids] };
    });
  });
}

/**
 * A learner-supplied transcription (/ˈθɪŋk/, words separated by spaces) for the target's words; `toIds` reads one
 * word's, null when it has a symbol outside `phonemes` (what the error names).
 */
export function phoneticWords(
  phonetic: string,
  target: string,
  toIds: (ipa: string) => number[] | null,
  phonemes: string,
): ExpectedWord[] {
  const texts = target.trim().split(/\s+/);
  const transcriptions = phonetic
    .replace(/^\/|\/$/g, '')
    .trim()
    .split(/\s+/);
  if (transcriptions.length !== texts.length) {
    throw new AppError(400, 'INVALID_PHONETIC', 'Give one transcription per word of the target', {
      field: 'phonetic',
      words: texts.length,
      transcriptions: transcriptions.length,
    });
  }
  return transcriptions.map((ipa, i) => {
    const ids = toIds(ipa);
    if (!ids || ids.length === 0) {
      throw new AppError(400, 'INVALID_PHONETIC', `"${ipa}" has symbols we cannot map to ${phonemes}`, {
        field: 'phonetic',
      });
    }
    return { text: texts[i] ?? '', pronunciations: [ids] };
  });
}

/** An English transcription onto the English model's phones. */
export function parsePhonetic(phonetic: string, target: string, inventory: string[]): ExpectedWord[] {
  return phoneticWords(phonetic, target, (ipa) => toCmu(ipa, inventory), 'English phonemes');
}
