/**
 * The multilingual model (models/multi-ipa-manifest.json) in the engine, as the API would use it: loadModel, the
 * expected words from espeak-ng's phonemizer mapped onto the shared IPA inventory (plugins/speech/ipa-inventory.ts),
 * and analyze() of a sentence per variety that the engine synthesizes itself, as a WAV upload. Checked: every clip
 * aligns, the free phone loop hears most expected phones, and the aligner's phone boundaries fall near espeak-ng's
 * own timings (test/native/espeak-timings.ts; the English model's test is alignment-accuracy.test.ts). The voices
 * are each variety's default one, which the model trained on (models/README.md has the held-out voices' figures).
 * Skipped where the model is absent; needs the built addon.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  modelVariety,
  phoneIds,
  pronounceInVariety,
  readMultilingualManifest,
} from '../../plugins/speech/ipa-inventory.ts';
import { analyze, loadModel, modelInfo, synthesize } from '../../src/native/engine.ts';
import { type Boundary, boundaryErrors, saidWords, truePhones } from './espeak-timings.ts';
import { wav } from './wav.ts';

const MANIFEST = fileURLToPath(new URL('../../models/multi-ipa-manifest.json', import.meta.url));
const skip = existsSync(MANIFEST)
  ? false
  : 'models/multi-ipa-manifest.json is absent: run models/recipe/run-languages.sh';
const TOLERANCE_MS = 20;
const BOUNDARY_BOUND = 0.8;
const HEARD_BOUND = 0.6;

/** Everyday sentences, none of them a training text (those are random phrases of the recipe's word lists). */
const SENTENCES: Record<string, string> = {
  es: 'El niño quiere comer pan con queso y beber agua fría',
  'es-419': 'Mañana vamos a la playa con mis hermanos',
  fr: 'Le petit chat boit du lait froid dans la cuisine',
  'fr-be': 'Nous avons acheté des fleurs jaunes au marché',
  de: 'Der kleine Hund spielt heute mit seinem Ball im Garten',
  it: 'Il ragazzo mangia una pizza calda con gli amici',
  pt: 'O menino quer comer pão com queijo e beber água',
  'pt-br': 'Amanhã nós vamos para a praia com a família',
};

/** Share of the expected phones the free phone loop heard (edits that match). */
function heardShare(result: Awaited<ReturnType<typeof analyze>>): number {
  return result.edits.filter((edit) => edit.kind === 'match').length / Math.max(1, result.phones.length);
}

function withinTolerance(boundaries: Boundary[]): number {
  return boundaries.filter((b) => Math.abs(b.errorMs) <= TOLERANCE_MS).length / Math.max(1, boundaries.length);
}

t.test('the multilingual model analyzes speech in each of its varieties', { skip }, async (t) => {
  const manifest = readMultilingualManifest(MANIFEST);
  const model = await loadModel(MANIFEST);
  t.same(modelInfo(model).inventory, manifest.inventory, 'the engine reads the inventory the API maps onto');
  const varieties = Object.values(manifest.languages).flatMap((language) => language.varieties);
  t.same(Object.keys(SENTENCES).sort(), [...varieties].sort(), 'a sentence for every variety of the model');

  for (const [variety, text] of Object.entries(SENTENCES)) {
    await t.test(variety, async (t) => {
      t.equal(modelVariety(variety, manifest), variety);
      const expected = await pronounceInVariety(text, variety, manifest);
      const speech = await synthesize(text, { language: variety });
      const truth = truePhones(
        speech,
        manifest.inventory,
        (ipa) => phoneIds([{ ipa, stress: 0 }], variety, manifest) ?? [],
      );
      t.same(
        truth.filter((phone) => phone.phones.length === 0).map((phone) => phone.ipa),
        [],
        'every phone espeak said is in the inventory',
      );
      const result = await analyze(model, wav(speech.samples), saidWords(expected, truth));
      t.equal(result.alignment.status, 'aligned');
      t.equal(result.alignment.match?.matches, true, 'the engine finds that the audio says the text');
      const heard = heardShare(result);
      const boundaries = boundaryErrors(truth, result.phones);
      const share = withinTolerance(boundaries);
      t.comment(
        `${variety}: ${result.phones.length} phones, phone loop heard ${(heard * 100).toFixed(0)}%, ` +
          `${(share * 100).toFixed(0)}% of ${boundaries.length} boundaries within ${TOLERANCE_MS} ms`,
      );
      t.ok(heard >= HEARD_BOUND, `the phone loop hears at least ${HEARD_BOUND * 100}% of the expected phones`);
      t.ok(share >= BOUNDARY_BOUND, `at least ${BOUNDARY_BOUND * 100}% of boundaries within ${TOLERANCE_MS} ms`);
    });
  }
});

t.test('the phone loop notices a recording of another sentence', { skip }, async (t) => {
  const manifest = readMultilingualManifest(MANIFEST);
  const model = await loadModel(MANIFEST);
  const speech = await synthesize(SENTENCES.es ?? '', { language: 'es' });
  for (const [variety, text] of [
    ['es', 'Mañana vamos a la playa con mis hermanos'],
    ['it', SENTENCES.it ?? ''],
  ]) {
    const result = await analyze(model, wav(speech.samples), await pronounceInVariety(text, variety, manifest));
    t.ok(heardShare(result) < HEARD_BOUND, `the phone loop hears little of "${text}" in it`);
    t.not(result.alignment.match?.matches, true, 'the engine does not find that the audio says that text');
  }
});
