import { readFileSync } from 'node:fs';
import t from 'tap';
import type { LanguageEntry } from '../plugins/speech/catalog.ts';
import { bearer, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

t.test('supported languages and phoneme guides', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const mei = await register(app, { nativeLanguage: 'zh' });
  const lucia = await register(app, { nativeLanguage: 'es-MX' });
  const sam = await register(app, { nativeLanguage: 'en-GB' });

  const languages = await app.inject({ url: '/speech/supported-languages', headers: bearer(mei.token) });
  t.equal(languages.statusCode, 200);
  const byCode = new Map<string, LanguageEntry>(
    languages.json().languages.map((entry: LanguageEntry) => [entry.code, entry]),
  );
  t.ok(byCode.size > 100, 'every espeak-ng language is listed');
  t.match(byCode.get('ja'), { tier: 'synthesis' }, 'other espeak-ng languages get reference audio only');
  t.notOk(byCode.get('ja')?.quality, 'and no quality figures');
  t.match(byCode.get('en-gb'), { tier: 'synthesis' }, 'British English is not what the English model learned');

  const english = JSON.parse(readFileSync(new URL('../models/manifest.json', import.meta.url), 'utf8'));
  t.match(byCode.get('en'), { tier: 'analysis', name: 'English (General American)' });
  t.match(byCode.get('en')?.quality, { model: english.model, scoredBy: 'learned', realSpeech: true });
  t.same(
    byCode.get('en')?.quality?.figures.find((figure) => figure.metric === 'phone_pcc')?.value,
    english.scorer.validation.phone_pcc,
    "English's figures are its manifest's, measured on real learners",
  );

  const multilingual = JSON.parse(readFileSync(new URL('../models/multi-ipa-manifest.json', import.meta.url), 'utf8'));
  const analysed = [...byCode.values()].filter((entry) => entry.tier === 'analysis').map((entry) => entry.code);
  for (const code of ['es', 'es-419', 'es-mx', 'fr', 'fr-be', 'de', 'it', 'pt', 'pt-br']) {
    t.ok(analysed.includes(code), `${code} is analysed`);
    const primary = code.split('-')[0] as string;
    const heldOut = multilingual.held_out.voices_never_trained_on[primary];
    const quality = byCode.get(code)?.quality;
    t.match(quality, { model: multilingual.model, scoredBy: 'gop', realSpeech: false });
    t.match(quality?.measuredOn, /No figure on real speech exists/, 'saying plainly that no real speech was measured');
    const figure = (metric: string) => quality?.figures.find((f) => f.metric === metric)?.value;
    t.same(
      [figure('phone_error_rate'), figure('frame_accuracy'), figure('boundaries_within_20ms')],
      [heldOut.per, heldOut.frame_acc, heldOut.phone_starts_within_20ms],
      `${code}: the held-out figures of ${primary} from the manifest`,
    );
  }
  t.ok(
    analysed.every((code) => byCode.get(code)?.quality),
    `every analysed language carries its figures: ${analysed.join(', ')}`,
  );

  const guide = await app.inject({ url: '/speech/phonemes/en', headers: bearer(mei.token) });
  t.equal(guide.statusCode, 200);
  const phonemes = guide.json().phonemes as Array<{ symbol: string; ipa: string; commonConfusions: unknown[] }>;
  t.equal(phonemes.length, 39, 'the 39 phonemes of General American');
  const th = phonemes.find((phoneme) => phoneme.symbol === 'TH');
  t.equal(th?.ipa, 'θ');
  t.match(th?.commonConfusions, [{ saidAs: 'S' }], 'a Mandarin speaker is warned about th → s');

  const forLucia = (await app.inject({ url: '/speech/phonemes/EN', headers: bearer(lucia.token) })).json();
  const v = forLucia.phonemes.find((phoneme: { symbol: string }) => phoneme.symbol === 'V');
  t.match(v.commonConfusions, [{ saidAs: 'B' }], 'a Spanish speaker (es-MX) is warned about v → b');
  t.same(forLucia.phonemes.find((p: { symbol: string }) => p.symbol === 'TH').commonConfusions, []);

  const unknown = await app.inject({ url: '/speech/phonemes/tlh', headers: bearer(mei.token) });
  const error = expectEnvelope(t, unknown, 400, 'UNSUPPORTED_LANGUAGE');
  t.same(error.details, { supported: ['de', 'en', 'es', 'fr', 'it', 'pt'] });

  const spanish = await app.inject({ url: '/speech/phonemes/es-419', headers: bearer(mei.token) });
  t.equal(spanish.statusCode, 200, "a variety gets its language's guide");
  t.match(spanish.json(), { language: 'es', symbols: 'ipa' });
  const es = spanish.json().phonemes as Array<{ symbol: string; examples: string[]; commonConfusions: unknown[] }>;
  t.match(
    es.find((phoneme) => phoneme.symbol === 'ɾ'),
    { examples: ['pero'] },
    'IPA symbols, Spanish examples',
  );
  const forSam = await app.inject({ url: '/speech/phonemes/fr', headers: bearer(sam.token) });
  const y = forSam.json().phonemes.find((phoneme: { symbol: string }) => phoneme.symbol === 'y');
  t.match(y.commonConfusions, [{ target: 'y', saidAs: 'u' }], 'an English speaker is warned about French u → ou');
  t.match(y.exampleAudio[0].opusUrl, /language=fr/, 'with French reference audio');
  expectEnvelope(
    t,
    await app.inject({ url: `/speech/phonemes/${'x'.repeat(40)}`, headers: bearer(mei.token) }),
    400,
    'VALIDATION_ERROR',
  );
  expectEnvelope(t, await app.inject({ url: '/speech/supported-languages' }), 401, 'UNAUTHORIZED');
});
