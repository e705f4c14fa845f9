import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { AppError } from '../../src/errors.ts';
import { type ExpectedWord, type Phone, textToPhonemes } from '../../src/native/engine.ts';

/**
 * The multilingual model's side of pronunciation (models/multi-ipa-manifest.json): espeak-ng's IPA in Spanish,
 * French, German, Italian or Portuguese onto the model's shared IPA inventory. The rules are the manifest's
 * `ipa_rules`, the very ones the recipe (models/recipe/languages.py, `to_inventory`) applied to the training labels,
 * so a phone is named here exactly as the model learned it.
 */
const IpaRules = Type.Object({
  by_variety: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
  drop: Type.String(),
  fold: Type.Record(Type.String(), Type.String()),
  split: Type.Record(Type.String(), Type.Array(Type.String(), { minItems: 1 })),
});
const MultilingualManifest = Type.Object({
  inventory: Type.Array(Type.String(), { minItems: 2 }),
  languages: Type.Record(Type.String(), Type.Object({ varieties: Type.Array(Type.String(), { minItems: 1 }) })),
  ipa_rules: IpaRules,
});

export type MultilingualManifest = Static<typeof MultilingualManifest>;

/** The parts of a parsed multilingual manifest this module uses, checked; `path` names it in the error. */
export function multilingualManifestOf(manifest: unknown, path: string): MultilingualManifest {
  const problem = Value.Errors(MultilingualManifest, manifest)[0];
  if (problem) throw new Error(`${path}: ${problem.instancePath} ${problem.message}`);
  return manifest as MultilingualManifest;
}

/** A multilingual manifest file, checked as multilingualManifestOf (the engine checks the rest when it loads it). */
export function readMultilingualManifest(path: string): MultilingualManifest {
  return multilingualManifestOf(JSON.parse(readFileSync(path, 'utf8')), path);
}

/**
 * The espeak-ng language tag to pronounce `language` with, when the model covers it: its primary subtag must be one
 * of the model's languages ('es-MX' -> 'es-mx', spoken like the es-419 the model trained on); null otherwise.
 */
export function modelVariety(language: string, manifest: MultilingualManifest): string | null {
  const tag = language.toLowerCase();
  const primary = tag.split('-')[0] ?? tag;
  return Object.hasOwn(manifest.languages, primary) ? tag : null;
}

/** One espeak phone's IPA (textToPhonemes' `ipa`) -> its inventory phones, unchecked: as languages.to_inventory. */
export function inventoryPhones(ipa: string, variety: string, rules: MultilingualManifest['ipa_rules']): string[] {
  let name = ipa.normalize('NFC');
  name = rules.by_variety[variety.toLowerCase()]?.[name] ?? name;
  name = [...name].filter((char) => !rules.drop.includes(char)).join('');
  name = rules.fold[name] ?? name;
  return rules.split[name] ?? [name];
}

/** espeak's phones of a word -> inventory ids, or null when one has no place in the inventory. */
export function phoneIds(phones: readonly Phone[], variety: string, manifest: MultilingualManifest): number[] | null {
  const ids: number[] = [];
  for (const phone of phones) {
    for (const name of inventoryPhones(phone.ipa, variety, manifest.ipa_rules)) {
      const id = manifest.inventory.indexOf(name);
      if (id <= 0) return null; // 0 is SIL: never an expected phone
      ids.push(id);
    }
  }
  return ids;
}

/** The expected words of a target text in `variety` (modelVariety's tag), pronounced by espeak-ng. */
export async function pronounceInVariety(
  text: string,
  variety: string,
  manifest: MultilingualManifest,
): Promise<ExpectedWord[]> {
  const { words } = await textToPhonemes(text, variety);
  return words.map((word) => {
    const ids = phoneIds(word.phones, variety, manifest);
    if (!ids) throw new AppError(422, 'UNPRONOUNCEABLE', `"${word.text}" has a sound the model does not know`);
    return { text: word.text, pronunciations: [ids] };
  });
}

/**
 * A learner's transcription of one word ('ˈpero', '/kaˈʎe/') -> inventory ids, or null for a symbol the inventory
 * lacks. Greedy longest match over the inventory and the rules' names, after the marks the rules drop.
 */
export function parseTranscription(ipa: string, variety: string, manifest: MultilingualManifest): number[] | null {
  const rules = manifest.ipa_rules;
  const names = new Set([
    ...manifest.inventory.slice(1),
    ...Object.keys(rules.fold),
    ...Object.keys(rules.split),
    ...Object.keys(rules.by_variety[variety.toLowerCase()] ?? {}),
  ]);
  const symbols = [...names].sort((a, b) => b.length - a.length);
  let rest = [...ipa.normalize('NFC')].filter((char) => !rules.drop.includes(char) && char !== '/').join('');
  const phones: Phone[] = [];
  while (rest.length > 0) {
    const symbol = symbols.find((candidate) => rest.startsWith(candidate));
    if (!symbol) return null;
    phones.push({ ipa: symbol, stress: 0 });
    rest = rest.slice(symbol.length);
  }
  return phones.length > 0 ? phoneIds(phones, variety, manifest) : null;
}
