import t from 'tap';
import { bearer, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

t.test('supported languages and phoneme guides', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const mei = await register(app, { nativeLanguage: 'zh' });
  const lucia = await register(app, { nativeLanguage: 'es-MX' });

  const languages = await app.inject({ url: '/speech/supported-languages', headers: bearer(mei.token) });
  t.equal(languages.statusCode, 200);
  const byCode = new Map(languages.json().languages.map((entry: { code: string }) => [entry.code, entry]));
  t.match(byCode.get('en'), { tier: 'phoneme-guide', name: 'English (General American)' });
  t.match(byCode.get('es'), { tier: 'synthesis' }, 'other espeak-ng languages get reference audio only, for now');
  t.ok(byCode.size > 100, 'every espeak-ng language is listed');
  t.notOk(
    [...byCode.values()].some((entry) => (entry as { tier: string }).tier === 'analysis'),
    'no language claims analysis before a model has been measured for it',
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
  t.same(error.details, { supported: ['en'] });
  expectEnvelope(
    t,
    await app.inject({ url: `/speech/phonemes/${'x'.repeat(40)}`, headers: bearer(mei.token) }),
    400,
    'VALIDATION_ERROR',
  );
  expectEnvelope(t, await app.inject({ url: '/speech/supported-languages' }), 401, 'UNAUTHORIZED');
});
