/**
 * espeak-ng's IPA onto the multilingual model's inventory (plugins/speech/ipa-inventory.ts), with rules of the shape
 * the recipe writes into models/multi-ipa-manifest.json. test/native/multilingual-model.test.ts checks the shipped
 * manifest against the engine's own phonemizer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  inventoryPhones,
  type MultilingualManifest,
  modelVariety,
  parseTranscription,
  phoneIds,
  readMultilingualManifest,
} from '../plugins/speech/ipa-inventory.ts';

const manifest: MultilingualManifest = {
  inventory: ['SIL', 'a', 'e', 'i', 'o', 'ɐ', 'ɪ', 'ə', 'p', 't', 's', 'ts', 'tʃ', 'dʒ', 'ɡ', 'ɾ', 'ɑ̃', 'õ'],
  languages: { es: { varieties: ['es', 'es-419'] }, pt: { varieties: ['pt', 'pt-br'] } },
  ipa_rules: {
    by_variety: { 'pt-br': { æ: 'ɐ', y: 'ɪ' } },
    drop: 'ˈˌ.ːˑ\u0361\u035c-',
    fold: { ss: 's', g: 'ɡ' },
    split: { oɪ: ['o', 'ɪ'] },
  },
};
const id = (...names: string[]) => names.map((name) => manifest.inventory.indexOf(name));
const rules = manifest.ipa_rules;

t.test('one espeak phone onto the inventory, as the recipe folds it', async (t) => {
  t.same(inventoryPhones('æ', 'pt-BR', rules), ['ɐ'], "pt-br's reduced a, whatever the tag's case");
  t.same(inventoryPhones('æ', 'pt', rules), ['æ'], 'the variety rule is for pt-br only');
  t.same(inventoryPhones('tsː', 'it', rules), ['ts'], 'length marks go');
  t.same(inventoryPhones('ə-', 'fr', rules), ['ə'], "espeak's '-' suffix goes");
  t.same(inventoryPhones('ss', 'it', rules), ['s']);
  t.same(inventoryPhones('oɪ', 'es', rules), ['o', 'ɪ'], 'a rare diphthong is two phones');
  t.same(inventoryPhones('o\u0303', 'pt', rules), ['õ'], 'combining tilde composed (NFC) as in the inventory');
});

t.test('phone ids of a word, or null', async (t) => {
  const phones = (...ipa: string[]) => ipa.map((name) => ({ ipa: name, stress: 0 as const }));
  t.same(phoneIds(phones('tʃ', 'i', 'æ'), 'pt-br', manifest), id('tʃ', 'i', 'ɐ'));
  t.same(phoneIds(phones('p', 'oɪ'), 'es', manifest), id('p', 'o', 'ɪ'));
  t.equal(phoneIds(phones('p', 'θ'), 'es', manifest), null, 'a phone outside the inventory');
  t.equal(phoneIds(phones('SIL'), 'es', manifest), null, 'silence is never an expected phone');
});

t.test('a learner transcription', async (t) => {
  t.same(parseTranscription('/ˈt͡ʃiæ/', 'pt-br', manifest), id('tʃ', 'i', 'ɐ'), 'tie bar and stress dropped');
  t.same(parseTranscription('ˈtsːa', 'es', manifest), id('ts', 'a'), 'the longest symbol first');
  t.same(parseTranscription('ga', 'es', manifest), id('ɡ', 'a'), 'ASCII g is the IPA ɡ');
  t.same(parseTranscription('pɑ̃', 'pt', manifest), id('p', 'ɑ̃'));
  t.equal(parseTranscription('pθa', 'es', manifest), null, 'a symbol the inventory lacks');
  t.equal(parseTranscription('ˈ', 'es', manifest), null, 'marks only');
  t.equal(parseTranscription('æ', 'pt', manifest), null, "pt-br's name for a is not Portugal's");
});

t.test('which languages the model covers', async (t) => {
  t.equal(modelVariety('es-MX', manifest), 'es-mx', 'a variety of a model language, spoken by espeak as it is');
  t.equal(modelVariety('PT-BR', manifest), 'pt-br');
  t.equal(modelVariety('pt', manifest), 'pt');
  t.equal(modelVariety('en-US', manifest), null);
  t.equal(modelVariety('constructor', manifest), null, 'only own keys of the manifest');
});

t.test('reading a manifest checks the parts this module uses', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'speakai-ipa-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ ...manifest, model: 'm.onnx' }));
  t.same(readMultilingualManifest(good).inventory, manifest.inventory);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...manifest, ipa_rules: { ...rules, split: { oɪ: [] } } }));
  t.throws(() => readMultilingualManifest(bad), /bad\.json: \/ipa_rules\/split\/oɪ/);
});
