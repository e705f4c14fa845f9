/**
 * The model, phone names and expected words an analysis runs with, by the language of its target: English on the
 * English model (ARPAbet, pronunciation.ts), the model's other languages on the multilingual one (its IPA inventory,
 * ipa-inventory.ts). Each model is loaded once per process; a language whose model did not load answers 503.
 */
import type { FastifyInstance } from 'fastify';
import { AppError, badRequest } from '../../src/errors.ts';
import { type ExpectedWord, type ModelHandle, modelInfo, NativeEngineError } from '../../src/native/engine.ts';
import { type AnalysisLanguages, ENGLISH_MANIFEST, MULTILINGUAL_MANIFEST } from './analysis-languages.ts';
import { type MultilingualManifest, parseTranscription, pronounceInVariety } from './ipa-inventory.ts';
import { parsePhonetic, phoneticWords, pronounceText, rememberedWords } from './pronunciation.ts';
import { acousticModel, modelOrUnavailable, type Target } from './upload.ts';

export interface Analyser {
  handle: ModelHandle;
  /** The model's phone names, by id. */
  inventory: string[];
  expectedWords(target: Target): Promise<ExpectedWord[]>;
}

function someWords(words: ExpectedWord[]): ExpectedWord[] {
  if (words.length === 0) throw badRequest('targetWord has no word to say', { field: 'targetWord' });
  return words;
}

/** The expected English words: the learner's IPA when given, else espeak-ng's pronunciation of the target. */
export async function englishWords(target: Target, inventory: string[]): Promise<ExpectedWord[]> {
  return someWords(
    target.phonetic
      ? parsePhonetic(target.phonetic, target.target, inventory)
      : await pronounceText(target.target, inventory),
  );
}

/** espeak-ng pronouncing the target in a variety it has no voice of is the client's language tag at fault. */
async function pronounced(target: Target, manifest: MultilingualManifest, inventory: string[]) {
  try {
    return await rememberedWords(inventory, `${target.language}\n${target.target}`, () =>
      pronounceInVariety(target.target, target.language, manifest),
    );
  } catch (error) {
    if (error instanceof NativeEngineError && error.code === 'LANGUAGE_UNSUPPORTED') {
      throw new AppError(400, 'UNSUPPORTED_LANGUAGE', `There is no pronunciation for "${target.language}"`, {
        field: 'language',
      });
    }
    throw error;
  }
}

/** The expected words in one of the multilingual model's languages, its IPA inventory's phones. */
async function multilingualWords(target: Target, manifest: MultilingualManifest, inventory: string[]) {
  const { language, phonetic } = target;
  return someWords(
    phonetic
      ? phoneticWords(
          phonetic,
          target.target,
          (ipa) => parseTranscription(ipa, language, manifest),
          `the phonemes of "${language}" (GET /speech/phonemes/${language.split('-')[0]})`,
        )
      : await pronounced(target, manifest, inventory),
  );
}

/** One model's analyser, or undefined when the model did not load. */
function analyserOf(
  handle: ModelHandle | undefined,
  words: (target: Target, inventory: string[]) => Promise<ExpectedWord[]>,
): Analyser | undefined {
  if (!handle) return undefined;
  const { inventory } = modelInfo(handle);
  return { handle, inventory, expectedWords: (target) => words(target, inventory) };
}

/** Loads the models analysable languages need; the answer picks a target's, or throws 503 when it did not load. */
export async function analysers(fastify: FastifyInstance, languages: AnalysisLanguages, route: string) {
  const manifest = languages.multilingual;
  const [english, multilingual] = await Promise.all([
    acousticModel(fastify, ENGLISH_MANIFEST, route),
    manifest ? acousticModel(fastify, MULTILINGUAL_MANIFEST, route) : undefined,
  ]);
  const byModel = {
    english: analyserOf(english, englishWords),
    multilingual: analyserOf(multilingual, (target, inventory) =>
      multilingualWords(target, manifest as MultilingualManifest, inventory),
    ),
  };
  return (target: Target): Analyser => modelOrUnavailable(byModel[target.route.model]);
}
