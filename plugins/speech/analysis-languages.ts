/**
 * Which languages POST /speech/analyze scores, with which acoustic model, and how well each model has been measured.
 * English: models/manifest.json, an acoustic model and a learned scorer trained on real learners' speech. Spanish,
 * French, German, Italian and Portuguese: models/multi-ipa-manifest.json, one model over a shared IPA inventory,
 * trained on espeak-ng speech only and with no learned scorer, so the engine scores it by its calibrated GOP. Both
 * manifests are read once at start; the figures shown to clients are theirs, never copied into code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Type, { type Static } from 'typebox';
import { type MultilingualManifest, modelVariety, multilingualManifestOf } from './ipa-inventory.ts';

export const ENGLISH_MANIFEST = fileURLToPath(new URL('../../models/manifest.json', import.meta.url));
export const MULTILINGUAL_MANIFEST = fileURLToPath(new URL('../../models/multi-ipa-manifest.json', import.meta.url));
const ENGLISH_TAGS = ['en', 'en-us'];

const Figure = Type.Object({
  metric: Type.String({ examples: ['phone_error_rate'] }),
  value: Type.Number({ examples: [0.037] }),
  description: Type.String(),
});

export const Quality = Type.Object(
  {
    model: Type.String({ description: "The acoustic model's file under models/", examples: ['multi-ipa-tdnn.onnx'] }),
    scoredBy: Type.Enum(['learned', 'gop'], {
      description: 'The scorer analyses in this language use (the `scoredBy` of POST /speech/analyze)',
    }),
    realSpeech: Type.Boolean({ description: 'Whether the figures were measured on real recordings' }),
    measuredOn: Type.String({ description: 'What the figures were measured on, and what that means for learners' }),
    figures: Type.Array(Figure),
  },
  {
    description: "How well the language's model has been measured, from its manifest; only with tier analysis",
    examples: [
      {
        model: 'multi-ipa-tdnn.onnx',
        scoredBy: 'gop',
        realSpeech: false,
        measuredOn:
          'espeak-ng voices the model never trained on (100 phrases). No figure on real speech exists for this language: real learners will be heard less accurately.',
        figures: [{ metric: 'phone_error_rate', value: 0.037, description: 'Phone error rate of the free phone loop' }],
      },
    ],
  },
);
export type Quality = Static<typeof Quality>;

/**
 * What an analysis in one language runs with: its model, the language tag as analysed ('en', or the multilingual
 * model's espeak-ng variety), and the phoneme guide that names the model's phones (GET /speech/phonemes/:language).
 */
export type Route = { model: 'english' | 'multilingual'; language: string; guide: string };

type EnglishManifest = {
  model: string;
  scorer?: { validation?: Record<string, number | null> };
  validation?: Array<{ gop_check?: Record<string, number> }>;
};

const SCORER_FIGURES: Array<[string, string]> = [
  ['phone_pcc', "Pearson correlation of the learned scorer's phone scores with expert scores"],
  ['word_accuracy_pcc', 'The same for word accuracy'],
  ['utterance_accuracy_pcc', 'The same for the accuracy of a whole utterance'],
  ['utterance_total_pcc', 'The same for the overall utterance score'],
];

function englishQuality(path: string): Quality | undefined {
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as EnglishManifest;
  const scorer = manifest.scorer?.validation ?? {};
  const gop = manifest.validation?.at(-1)?.gop_check?.auc_score2_vs_below1;
  const figures = SCORER_FIGURES.flatMap(([metric, description]) => {
    const value = scorer[metric];
    return typeof value === 'number' ? [{ metric, value, description }] : [];
  });
  if (gop !== undefined) {
    figures.push({
      metric: 'gop_auc_good_vs_wrong',
      value: gop,
      description:
        "How well the acoustic model's GOP tells phones experts scored 2 from those they scored below 1 (AUC)",
    });
  }
  return {
    model: manifest.model,
    scoredBy: manifest.scorer ? 'learned' : 'gop',
    realSpeech: true,
    measuredOn:
      'Real recordings of 11 non-native English speakers held out of training (speechocean762), against expert scores',
    figures,
  };
}

const HELD_OUT_FIGURES: Array<[string, string, string]> = [
  ['per', 'phone_error_rate', 'Phone error rate of the free phone loop (substitutions, deletions, insertions)'],
  ['frame_acc', 'frame_accuracy', 'Share of 10 ms frames whose most likely phone is the true one'],
  ['phone_starts_within_20ms', 'boundaries_within_20ms', 'Share of forced-alignment phone starts within 20 ms'],
];

type HeldOut = { model: string; held_out?: { voices_never_trained_on?: Record<string, Record<string, number>> } };

function multilingualQuality(manifest: HeldOut, language: string): Quality | undefined {
  const measured = manifest.held_out?.voices_never_trained_on?.[language];
  if (!measured) return undefined;
  return {
    model: manifest.model,
    scoredBy: 'gop',
    realSpeech: false,
    measuredOn: `espeak-ng voices the model never trained on (${measured.utterances} phrases). No figure on real speech exists for this language: the model trained on synthetic speech only, so real learners will be heard less accurately than these figures say, and its scores are the GOP calibrated on English learners.`,
    figures: HELD_OUT_FIGURES.flatMap(([key, metric, description]) => {
      const value = measured[key];
      return typeof value === 'number' ? [{ metric, value, description }] : [];
    }),
  };
}

/** The analysable languages, read from the manifests at start. */
export class AnalysisLanguages {
  readonly multilingual: MultilingualManifest | undefined;
  /** Every language tag analysis names in its errors; other regional tags of the model's languages work too. */
  readonly supported: string[];
  private readonly quality: Map<string, Quality>;

  constructor(englishManifest = ENGLISH_MANIFEST, multilingualManifest = MULTILINGUAL_MANIFEST) {
    const heldOut: HeldOut | undefined = existsSync(multilingualManifest)
      ? JSON.parse(readFileSync(multilingualManifest, 'utf8'))
      : undefined;
    this.multilingual = heldOut && multilingualManifestOf(heldOut, multilingualManifest);
    const varieties = Object.values(this.multilingual?.languages ?? {}).flatMap((language) => language.varieties);
    this.supported = [...ENGLISH_TAGS, ...varieties.sort()];
    this.quality = new Map();
    const english = englishQuality(englishManifest);
    if (english) this.quality.set('en', english);
    for (const language of Object.keys(this.multilingual?.languages ?? {})) {
      const quality = heldOut && multilingualQuality(heldOut, language);
      if (quality) this.quality.set(language, quality);
    }
  }

  /** The model and espeak-ng variety a language tag (any case) is analysed with; null when none covers it. */
  route(tag: string): Route | null {
    const language = tag.trim().toLowerCase();
    if (ENGLISH_TAGS.includes(language)) return { model: 'english', language: 'en', guide: 'en' };
    if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(language) || !this.multilingual) return null;
    const variety = modelVariety(language, this.multilingual);
    return variety ? { model: 'multilingual', language: variety, guide: variety.split('-')[0] ?? variety } : null;
  }

  /** The measured quality of the model that analyses `tag`, when it is analysable. */
  qualityOf(tag: string): Quality | undefined {
    const route = this.route(tag);
    return route ? this.quality.get(route.guide) : undefined;
  }
}
