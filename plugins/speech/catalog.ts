import { readdirSync, readFileSync } from 'node:fs';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { listLanguages } from '../../src/native/engine.ts';

const PhonemeEntry = Type.Object({
  symbol: Type.String({ pattern: '^[A-Z]{1,2}$', description: 'ARPAbet, as the acoustic model names the phone' }),
  ipa: Type.String({ minLength: 1 }),
  kind: Type.Enum(['vowel', 'diphthong', 'consonant']),
  examples: Type.Array(Type.String(), { minItems: 1 }),
  tip: Type.String({ minLength: 20, description: 'How to make the sound' }),
});
const PhonemeGuide = Type.Object({
  language: Type.String(),
  name: Type.String(),
  voice: Type.Optional(
    Type.String({ description: "The espeak-ng voice that speaks this guide's variety, when not the language's first" }),
  ),
  phonemes: Type.Array(PhonemeEntry, { minItems: 1 }),
});
export const Confusion = Type.Object({
  target: Type.String(),
  saidAs: Type.String({ description: 'ARPAbet, several phones space-separated, or <DEL> for a dropped phone' }),
  why: Type.String(),
  practice: Type.String(),
});
const Confusions = Type.Object({
  about: Type.String(),
  byNativeLanguage: Type.Record(Type.String(), Type.Array(Confusion)),
});

export type PhonemeGuide = Static<typeof PhonemeGuide>;
export type Confusion = Static<typeof Confusion>;

const DATA_DIR = new URL('./data/', import.meta.url);

function load<T extends TSchema>(schema: T, file: string): Static<T> {
  const data: unknown = JSON.parse(readFileSync(new URL(file, DATA_DIR), 'utf8'));
  const problem = Value.Errors(schema, data)[0];
  if (problem) throw new Error(`plugins/speech/data/${file}: ${problem.instancePath} ${problem.message}`);
  return data as Static<T>;
}

export interface LanguageEntry {
  code: string;
  name: string;
  /** What we can do in this language today: analysis needs a trained model, the phoneme guide needs our data. */
  tier: 'analysis' | 'phoneme-guide' | 'synthesis';
  voices: Array<{ id: string; name: string }>;
}

/**
 * What the speech domain knows about languages: the phoneme guides and learners' classic confusions kept as data
 * under data/ (checked against their schema at start), and espeak-ng's voices.
 */
export class SpeechCatalog {
  readonly guides: Map<string, PhonemeGuide>;
  readonly confusions: Static<typeof Confusions>;
  readonly languages: LanguageEntry[];

  private constructor(
    guides: Map<string, PhonemeGuide>,
    confusions: Static<typeof Confusions>,
    languages: LanguageEntry[],
  ) {
    this.guides = guides;
    this.confusions = confusions;
    this.languages = languages;
  }

  static async load(): Promise<SpeechCatalog> {
    const guides = new Map<string, PhonemeGuide>();
    for (const file of readdirSync(DATA_DIR).filter((name) => /^[a-z]{2,3}(-[a-z]{2,4})?\.json$/.test(name))) {
      const guide = load(PhonemeGuide, file);
      guides.set(guide.language, guide);
    }
    const confusions = load(Confusions, 'confusions.json');
    return new SpeechCatalog(guides, confusions, groupVoices(await listLanguages(), guides));
  }

  /** The confusions of speakers of `nativeLanguage` (its primary subtag) for one target phone. */
  confusionsFor(nativeLanguage: string, target: string): Confusion[] {
    const primary = nativeLanguage.split('-')[0] ?? nativeLanguage;
    return (this.confusions.byNativeLanguage[primary] ?? []).filter((confusion) => confusion.target === target);
  }
}

function groupVoices(
  voices: Awaited<ReturnType<typeof listLanguages>>,
  guides: Map<string, PhonemeGuide>,
): LanguageEntry[] {
  const byCode = new Map<string, typeof voices>();
  for (const voice of voices) byCode.set(voice.language, [...(byCode.get(voice.language) ?? []), voice]);
  return [...byCode.entries()]
    .map(([code, list]) => {
      const sorted = [...list].sort((a, b) => a.priority - b.priority);
      return {
        code,
        name: guides.get(code)?.name ?? sorted[0]?.voice ?? code,
        tier: guides.has(code) ? ('phoneme-guide' as const) : ('synthesis' as const),
        voices: sorted.map((voice) => ({ id: voice.voiceId, name: voice.voice })),
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
}
