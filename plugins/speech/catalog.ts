import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { AppError } from '../../src/errors.ts';
import { listLanguages } from '../../src/native/engine.ts';
import { AnalysisLanguages, type Quality } from './analysis-languages.ts';

const PhonemeEntry = <S extends TSchema>(symbol: S) =>
  Type.Object({
    symbol,
    ipa: Type.String({ minLength: 1 }),
    kind: Type.Enum(['vowel', 'diphthong', 'consonant']),
    examples: Type.Array(Type.String(), { minItems: 1 }),
    tip: Type.String({ minLength: 20, description: 'How to make the sound' }),
  });
const Arpabet = Type.String({ pattern: '^[A-Z]{1,2}$', description: 'ARPAbet, as the English model names the phone' });
const InventoryIpa = Type.String({
  pattern: '^[^A-Z\\s]{1,4}$',
  description: "IPA, as the multilingual model's inventory names the phone",
});
const GuideHead = {
  language: Type.String(),
  name: Type.String(),
  voice: Type.Optional(
    Type.String({ description: "The espeak-ng voice that speaks this guide's variety, when not the language's first" }),
  ),
};
/** English's phones are the English model's ARPAbet; the other languages' are the multilingual model's IPA. */
const PhonemeGuide = Type.Union([
  Type.Object({
    ...GuideHead,
    symbols: Type.Literal('arpabet'),
    phonemes: Type.Array(PhonemeEntry(Arpabet), { minItems: 1 }),
  }),
  Type.Object({
    ...GuideHead,
    symbols: Type.Literal('ipa'),
    phonemes: Type.Array(PhonemeEntry(InventoryIpa), { minItems: 1 }),
  }),
]);
export const Confusion = Type.Object({
  target: Type.String({ description: "The phone as the language's guide names it (its `symbol`)" }),
  saidAs: Type.String({
    description:
      'What it tends to become, named as the model names phones: several space-separated, or <DEL> for a dropped phone',
  }),
  why: Type.String(),
  practice: Type.String(),
});
const Confusions = Type.Object({
  about: Type.String(),
  /** Language learned -> learner's first language (primary subtag) -> confusions. */
  byLanguage: Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Confusion))),
});

export type PhonemeGuide = Static<typeof PhonemeGuide>;
export type Confusion = Static<typeof Confusion>;

/** A guide's entry of a phoneme: its IPA and articulation tip. */
export const guideEntry = (guide: PhonemeGuide | undefined, symbol: string) =>
  guide?.phonemes.find((p) => p.symbol === symbol);
/** A phoneme's IPA by its guide, else its own name. */
export const ipaOf = (guide: PhonemeGuide | undefined, symbol: string) => guideEntry(guide, symbol)?.ipa ?? symbol;

const DATA_DIR = new URL('./data/', import.meta.url);
let sharedCatalog: Promise<SpeechCatalog> | undefined;
const fileName = (dir: URL, file: string) => fileURLToPath(new URL(file, dir));

function load<T extends TSchema>(schema: T, path: string): Static<T> {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const problem = Value.Errors(schema, data)[0];
  if (problem) throw new Error(`${path}: ${problem.instancePath} ${problem.message}`);
  return data as Static<T>;
}

export interface LanguageEntry {
  code: string;
  name: string;
  /** What we can do in this language today: analysis needs a trained model, the phoneme guide needs our data. */
  tier: 'analysis' | 'phoneme-guide' | 'synthesis';
  /** The analysing model's measured quality, from its manifest: analysis tier only. */
  quality?: Quality;
  voices: Array<{ id: string; name: string }>;
}

/** The phone names a guide's confusions may use: its own symbols, and for IPA guides every phone the model hears. */
function phonesOf(guide: PhonemeGuide, inventory: Set<string>): Set<string> {
  const own = guide.phonemes.map((phoneme) => phoneme.symbol);
  return new Set(guide.symbols === 'ipa' ? [...own, ...inventory] : own);
}

/**
 * What the data must agree on beyond its schema, checked at start: IPA guides name the multilingual model's phones
 * (when its manifest is here), and every confusion is about a phone of its language's guide and names phones the
 * model can hear.
 */
function checkData(
  guides: Map<string, PhonemeGuide>,
  confusions: Static<typeof Confusions>,
  languages: AnalysisLanguages,
) {
  const inventory = new Set(languages.multilingual?.inventory.slice(1) ?? []);
  for (const guide of guides.values()) {
    if (guide.symbols !== 'ipa' || inventory.size === 0) continue;
    const unknown = guide.phonemes.filter((p) => !inventory.has(p.symbol));
    if (unknown.length > 0) {
      throw new Error(
        `phoneme guide "${guide.language}": not in the model's inventory: ${unknown.map((p) => p.symbol)}`,
      );
    }
  }
  for (const [language, byNative] of Object.entries(confusions.byLanguage)) {
    const guide = guides.get(language);
    if (!guide) throw new Error(`confusions.json: no phoneme guide for "${language}"`);
    const phones = phonesOf(guide, inventory);
    const own = new Set(guide.phonemes.map((phoneme) => phoneme.symbol));
    for (const [native, list] of Object.entries(byNative)) {
      const bad = list.filter(
        (c) => !own.has(c.target) || !c.saidAs.split(' ').every((phone) => phone === '<DEL>' || phones.has(phone)),
      );
      if (bad.length > 0) {
        throw new Error(
          `confusions.json: ${language}/${native}: unknown phones in ${bad.map((c) => `${c.target}->${c.saidAs}`)}`,
        );
      }
    }
  }
}

/**
 * What the speech domain knows about languages: the phoneme guides and learners' classic confusions kept as data
 * under data/ (checked at start), the analysable languages and their models' quality, and espeak-ng's voices.
 */
export class SpeechCatalog {
  readonly guides: Map<string, PhonemeGuide>;
  readonly confusions: Static<typeof Confusions>;
  readonly languages: LanguageEntry[];
  readonly analysable: AnalysisLanguages;

  private constructor(
    guides: Map<string, PhonemeGuide>,
    confusions: Static<typeof Confusions>,
    languages: LanguageEntry[],
    analysable: AnalysisLanguages,
  ) {
    this.guides = guides;
    this.confusions = confusions;
    this.languages = languages;
    this.analysable = analysable;
  }

  /** `dataDir` is data/ unless a test brings its own. */
  static async load(analysable = new AnalysisLanguages(), dataDir = DATA_DIR): Promise<SpeechCatalog> {
    const guides = new Map<string, PhonemeGuide>();
    for (const file of readdirSync(dataDir).filter((name) => /^[a-z]{2,3}(-[a-z]{2,4})?\.json$/.test(name))) {
      const guide = load(PhonemeGuide, fileName(dataDir, file));
      guides.set(guide.language, guide);
    }
    const confusions = load(Confusions, fileName(dataDir, 'confusions.json'));
    checkData(guides, confusions, analysable);
    return new SpeechCatalog(guides, confusions, groupVoices(await listLanguages(), guides, analysable), analysable);
  }

  /** The catalog of data/ and the shipped models, loaded once per process for every plugin that needs it. */
  static shared(): Promise<SpeechCatalog> {
    sharedCatalog ??= SpeechCatalog.load();
    return sharedCatalog;
  }

  /** The guide of a language tag: its own, else its primary subtag's ('es-419' -> 'es'). */
  guideOf(tag: string): PhonemeGuide | undefined {
    const language = tag.toLowerCase();
    return this.guides.get(language) ?? this.guides.get(language.split('-')[0] ?? language);
  }

  /**
   * The espeak-ng voice that says `language` (an entry's code, else its primary subtag's): the one requested, else the
   * phoneme guide's, else the language's first; 400 UNKNOWN_VOICE, with the language's voices, for any other.
   */
  voiceOf(language: string, requested: string | undefined): { language: string; voice: string } {
    const tag = language.toLowerCase();
    const entry =
      this.languages.find((candidate) => candidate.code === tag) ??
      this.languages.find((candidate) => candidate.code === tag.split('-')[0]);
    const voices = entry?.voices.map((voice) => voice.id) ?? [];
    const voice = requested ?? this.guides.get(entry?.code ?? tag)?.voice ?? voices[0] ?? '';
    if (!entry || !voices.includes(voice)) {
      throw new AppError(400, 'UNKNOWN_VOICE', `"${voice}" is not a voice of language "${language}"`, {
        field: 'voice',
        voices,
      });
    }
    return { language: entry.code, voice };
  }

  /** The confusions of speakers of `nativeLanguage` (its primary subtag) for one target phone of `language`. */
  confusionsFor(language: string, nativeLanguage: string, target: string): Confusion[] {
    const primary = nativeLanguage.split('-')[0] ?? nativeLanguage;
    const byNative = this.confusions.byLanguage[language] ?? {};
    return (byNative[primary] ?? []).filter((confusion) => confusion.target === target);
  }
}

function groupVoices(
  voices: Awaited<ReturnType<typeof listLanguages>>,
  guides: Map<string, PhonemeGuide>,
  analysable: AnalysisLanguages,
): LanguageEntry[] {
  const byCode = new Map<string, typeof voices>();
  for (const voice of voices) byCode.set(voice.language, [...(byCode.get(voice.language) ?? []), voice]);
  return [...byCode.entries()]
    .map(([code, list]) => {
      const sorted = [...list].sort((a, b) => a.priority - b.priority);
      const quality = analysable.qualityOf(code);
      const tier = quality ? 'analysis' : guides.has(code) ? 'phoneme-guide' : 'synthesis';
      return {
        code,
        name: guides.get(code)?.name ?? sorted[0]?.voice ?? code,
        tier: tier as LanguageEntry['tier'],
        ...(quality && { quality }),
        voices: sorted.map((voice) => ({ id: voice.voiceId, name: voice.voice })),
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
}
