/**
 * The phoneme guides of the multilingual model's languages (plugins/speech/data/<language>.json) against the model and
 * espeak-ng: every symbol is a phone of the inventory, every phone the language's words produce has a guide entry, and
 * every example word really has its entry's sound as espeak-ng (and so the analysis) pronounces it. The words are the
 * recipe's word lists (models/recipe/wordlists/, chosen to cover each language's sounds) in every variety.
 * Needs the built addon; skipped where the model is absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { AnalysisLanguages, MULTILINGUAL_MANIFEST } from '../plugins/speech/analysis-languages.ts';
import { SpeechCatalog } from '../plugins/speech/catalog.ts';
import { inventoryPhones, type MultilingualManifest } from '../plugins/speech/ipa-inventory.ts';
import { textToPhonemes } from '../src/native/engine.ts';

const skip = existsSync(MULTILINGUAL_MANIFEST) ? false : 'models/multi-ipa-manifest.json is absent';

/** The recipe's word list of a language, comments left out. */
function wordList(language: string): string[] {
  const text = readFileSync(new URL(`../models/recipe/wordlists/${language}.txt`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** The inventory phones espeak-ng says `word` with in `variety` (phones outside the inventory left out). */
async function phonesOf(word: string, variety: string, manifest: MultilingualManifest): Promise<string[]> {
  const { words } = await textToPhonemes(word, variety);
  return words
    .flatMap((spoken) => spoken.phones)
    .flatMap((phone) => inventoryPhones(phone.ipa, variety, manifest.ipa_rules))
    .filter((name) => manifest.inventory.includes(name));
}

t.test('the guides of the multilingual languages', { skip }, async (t) => {
  const languages = new AnalysisLanguages();
  const manifest = languages.multilingual as MultilingualManifest;
  const catalog = await SpeechCatalog.load(languages);
  for (const [language, { varieties }] of Object.entries(manifest.languages)) {
    await t.test(language, async (t) => {
      const guide = catalog.guides.get(language);
      if (!guide) return t.fail(`no guide for ${language}`);
      t.equal(guide.symbols, 'ipa');
      const symbols = guide.phonemes.map((phoneme) => phoneme.symbol);
      t.same(
        symbols.filter((symbol) => !manifest.inventory.includes(symbol) || symbol === 'SIL'),
        [],
        'every symbol is a phone of the inventory',
      );
      const produced = new Set<string>();
      for (const variety of varieties) {
        for (const word of wordList(language)) {
          for (const phone of await phonesOf(word, variety, manifest)) produced.add(phone);
        }
      }
      t.same(
        [...produced].filter((phone) => !symbols.includes(phone)),
        [],
        `every phone of ${produced.size} the words produce in ${varieties.join(', ')} has an entry`,
      );
      for (const entry of guide.phonemes) {
        for (const example of entry.examples) {
          const said = await Promise.all(varieties.map((variety) => phonesOf(example, variety, manifest)));
          t.ok(
            said.some((phones) => phones.includes(entry.symbol)),
            `"${example}" has /${entry.symbol}/ (${said.map((phones) => phones.join(' ')).join(' | ')})`,
          );
        }
      }
    });
  }
});

t.test('the confusions of learners of each language name phones of its guide', { skip }, async (t) => {
  const catalog = await SpeechCatalog.load();
  for (const language of ['es', 'fr', 'de', 'it', 'pt']) {
    const natives = Object.keys(catalog.confusions.byLanguage[language] ?? {});
    t.ok(natives.includes('en'), `English speakers learning ${language} have theirs`);
    t.ok(natives.length >= 4, `${language}: confusions of ${natives.length} first languages`);
  }
  t.match(catalog.confusionsFor('es', 'en-GB', 'r'), [{ saidAs: 'ɹ' }, { saidAs: 'ɾ' }], 'by primary subtag');
  t.same(catalog.confusionsFor('es', 'en', 'TH'), [], "English's ARPAbet is not a Spanish phone");
});

t.test('data that disagrees with the model or the guides stops the start', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'speakai-guides-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const data = new URL('../plugins/speech/data/', import.meta.url);
  const read = (file: string) => JSON.parse(readFileSync(new URL(file, data), 'utf8'));
  const write = (file: string, value: unknown) => writeFileSync(join(dir, file), JSON.stringify(value));
  const spanish = read('es.json');
  const confusions = read('confusions.json');
  const load = () => SpeechCatalog.load(new AnalysisLanguages(), pathToFileURL(`${dir}/`));

  write('es.json', spanish);
  write('confusions.json', { ...confusions, byLanguage: { es: confusions.byLanguage.es } });
  t.ok((await load()).guides.get('es'), 'the Spanish guide and its confusions alone load');

  const entry = spanish.phonemes[0];
  write('es.json', { ...spanish, phonemes: [...spanish.phonemes, { ...entry, symbol: 'ʀ' }] });
  await t.rejects(load(), /phoneme guide "es": not in the model's inventory: ʀ/);
  write('es.json', { ...spanish, phonemes: [...spanish.phonemes, { ...entry, symbol: 'RR' }] });
  await t.rejects(load(), /es\.json: \//, 'an IPA guide holds no ARPAbet');

  write('es.json', spanish);
  const bad = { target: 'r', saidAs: 'ʀ', why: 'A phone the model does not have.', practice: 'None.' };
  write('confusions.json', { ...confusions, byLanguage: { es: { en: [bad] } } });
  await t.rejects(load(), /confusions\.json: es\/en: unknown phones in r->ʀ/);
  write('confusions.json', { ...confusions, byLanguage: { es: { en: [{ ...bad, target: 'TH', saidAs: 's' }] } } });
  await t.rejects(load(), /unknown phones in TH->s/, "a target outside the language's guide");
  write('confusions.json', { ...confusions, byLanguage: { nl: {} } });
  await t.rejects(load(), /no phoneme guide for "nl"/);
});
