/**
 * POST /speech/analyze in the multilingual model's languages (Spanish, French, German, Italian, Portuguese), over
 * HTTP with WAV uploads of espeak-ng speech made in the test by each language's default voice.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { MULTILINGUAL_MANIFEST } from '../plugins/speech/analysis-languages.ts';
import { WordAttempt } from '../src/entities/index.ts';
import type { InProcessQueue } from '../src/jobs/in-process-queue.ts';
import { synthesize } from '../src/native/engine.ts';
import { bearer, type Registered, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';
import { multipart } from './helpers/multipart.ts';

const skip = existsSync(MULTILINGUAL_MANIFEST) ? false : 'models/multi-ipa-manifest.json is absent';

interface PhonemeScore {
  phoneme: string;
  accuracy: number;
  saidAs: string | null;
}

async function speech(text: string, language: string): Promise<Buffer> {
  return (await synthesize(text, { language, format: 'wav' })).audio;
}

function analyzeOn(app: FastifyInstance) {
  return (who: Registered, fields: Record<string, string>, audio?: Buffer) => {
    const form = multipart(
      fields,
      audio && { field: 'audioFile', filename: 'take.wav', contentType: 'audio/wav', data: audio },
    );
    return app.inject({
      method: 'POST',
      url: '/speech/analyze',
      headers: { ...form.headers, ...bearer(who.token) },
      payload: form.payload,
    });
  };
}

/** The guide's symbols of a language, from GET /speech/phonemes/:language. */
async function guideSymbols(app: FastifyInstance, who: Registered, language: string): Promise<string[]> {
  const guide = await app.inject({ url: `/speech/phonemes/${language}`, headers: bearer(who.token) });
  return guide.json().phonemes.map((phoneme: { symbol: string }) => phoneme.symbol);
}

const SENTENCES: Record<string, string> = {
  es: 'Mi hermano come pan con queso',
  fr: 'Nous avons acheté du pain',
  de: 'Ich trinke heute ein Glas Wasser',
  it: 'La ragazza mangia una mela rossa',
  pt: 'O menino quer beber água fria',
};

/**
 * A target, what is said for it with one sound changed, and that sound (the model's IPA). The learner speaks higher and
 * slower than the reference, and in another variety's voice where that one still says the target alike.
 */
const COMPARED = [
  { language: 'es', target: 'perro', said: 'pero', learnerVoice: 'roa/es-419', reference: 'roa/es', phone: 'r' },
  { language: 'fr', target: 'une rue', said: 'une roue', learnerVoice: 'roa/fr-BE', reference: 'roa/fr', phone: 'y' },
  {
    language: 'pt',
    target: 'a minha avó',
    said: 'a minha avô',
    learnerVoice: 'roa/pt',
    reference: 'roa/pt',
    phone: 'ɔ',
  },
  { language: 'it', target: 'vino', said: 'bino', learnerVoice: 'roa/it', reference: 'roa/it', phone: 'v' },
];

const relaxed = { RATE_LIMIT_AUTH_MAX: '100', RATE_LIMIT_SPEECH_MAX: '1000' };

t.test('POST /speech/analyze in the multilingual model’s languages', { skip }, async (t) => {
  const { app } = await buildTestApp(t, { env: relaxed });
  const sam = await register(app, { nativeLanguage: 'en' });
  const lucia = await register(app, { nativeLanguage: 'es-AR' });
  const post = analyzeOn(app);

  for (const [language, text] of Object.entries(SENTENCES)) {
    await t.test(language, async (t) => {
      const res = await post(sam, { targetWord: text, language }, await speech(text, language));
      t.equal(res.statusCode, 200, `a ${language} sentence is analysed`);
      const body = res.json();
      t.equal(body.language, language);
      t.equal(body.scoredBy, 'gop', 'scored by the calibrated GOP: the model has no learned scorer');
      t.same(
        [body.total, body.fluency.score, body.fluency.prosody],
        [null, null, null],
        'and says what it cannot judge',
      );
      t.equal(body.words.length, text.split(' ').length);
      const symbols = await guideSymbols(app, sam, language);
      const phonemes = body.phonemeScores.map((p: PhonemeScore) => p.phoneme);
      t.same(
        phonemes.filter((phoneme: string) => !symbols.includes(phoneme)),
        [],
        `phonemes named by the ${language} guide's IPA: ${phonemes.join(' ')}`,
      );
      // The language's default voice, one the model trained on, saying an everyday sentence: a native rendition
      // should read as one (93-100 with the shipped model; 77-94 before its input floor, at word joins).
      const weak = body.phonemeScores.filter((p: PhonemeScore) => p.saidAs !== null);
      t.ok(
        body.accuracy >= 85 && weak.length <= phonemes.length / 5,
        `${language}: accuracy ${body.accuracy}, ${weak.length} of ${phonemes.length} sounds flagged`,
      );
    });
  }

  /**
   * A word said right and the same word with one phoneme substituted (espeak-ng saying the other word): the first
   * scores clearly higher, and the substituted phoneme is the one flagged, heard as the phoneme said instead. German
   * is not among them: its short substituted takes (schön/schon, Tür/Tur, Bücher/Bucher) are refused as
   * SPEECH_MISMATCH, and in a sentence ("das Essen ist sehr schön") the next phone is flagged with the vowel.
   */
  const SUBSTITUTIONS = [
    { language: 'es', target: 'perro', said: 'pero', phoneme: 'r', heard: 'ɾ', learner: sam },
    { language: 'fr', target: 'une rue', said: 'une roue', phoneme: 'y', heard: 'u', learner: sam },
    { language: 'pt', target: 'a minha avó', said: 'a minha avô', phoneme: 'ɔ', heard: 'o', learner: sam },
    { language: 'it', target: 'vino', said: 'bino', phoneme: 'v', heard: 'b', learner: lucia },
  ];
  for (const { language, target, said, phoneme, heard, learner } of SUBSTITUTIONS) {
    await t.test(`${language}: "${target}" said as "${said}"`, async (t) => {
      const good = (await post(learner, { targetWord: target, language }, await speech(target, language))).json();
      const res = await post(learner, { targetWord: target, language }, await speech(said, language));
      t.equal(res.statusCode, 200, 'the substituted take is still analysed');
      const bad = res.json();
      t.ok(bad.accuracy + 10 < good.accuracy, `accuracy ${good.accuracy} said right, ${bad.accuracy} as "${said}"`);
      const weakest = [...bad.phonemeScores].sort((a: PhonemeScore, b: PhonemeScore) => a.accuracy - b.accuracy)[0];
      t.match(weakest, { phoneme, saidAs: heard }, `/${phoneme}/ is the weakest sound, heard as /${heard}/`);
      const right = good.phonemeScores.find((p: PhonemeScore) => p.phoneme === phoneme);
      t.ok(right.accuracy >= weakest.accuracy + 50, `/${phoneme}/: ${right.accuracy} said right, ${weakest.accuracy}`);
      t.equal(right.saidAs, null, 'and is not flagged when said right');
      t.match(bad.feedback, new RegExp(`Work first on /${phoneme}/`));
      const guide = await app.inject({ url: `/speech/phonemes/${language}`, headers: bearer(learner.token) });
      const entry = guide.json().phonemes.find((p: { symbol: string }) => p.symbol === phoneme);
      const confusion = entry.commonConfusions.find((c: { saidAs: string }) => c.saidAs === heard);
      t.ok(confusion, `the guide warns this learner's first language about /${phoneme}/ said as /${heard}/`);
      t.equal(
        bad.suggestions[0],
        `/${phoneme}/ in "${target.split(' ').at(-1)}": ${confusion?.why} ${confusion?.practice}`,
        'the first suggestion is that confusion, for this learner',
      );
    });
  }

  await t.test('a learner transcription is the expected pronunciation', async (t) => {
    const pero = await speech('pero', 'es');
    const asWritten = (await post(sam, { targetWord: 'perro', language: 'es' }, pero)).json();
    const transcribed = await post(sam, { targetWord: 'perro', language: 'es', phonetic: '/ˈpeɾo/' }, pero);
    t.equal(transcribed.statusCode, 200);
    t.same(
      transcribed.json().phonemeScores.map((p: PhonemeScore) => p.phoneme),
      ['p', 'e', 'ɾ', 'o'],
    );
    t.ok(transcribed.json().accuracy > asWritten.accuracy + 10, 'the tap the learner said is what was expected');
  });

  await t.test('the language is part of what is cached, and regional tags route to their variety', async (t) => {
    const casa = await speech('casa', 'es');
    const spanish = await post(sam, { targetWord: 'casa', language: 'es' }, casa);
    t.equal(spanish.headers['x-analysis-cache'], 'miss');
    t.equal((await post(sam, { targetWord: 'casa', language: 'es' }, casa)).headers['x-analysis-cache'], 'hit');
    const mexican = await post(sam, { targetWord: 'casa', language: 'es-MX' }, casa);
    t.equal(mexican.headers['x-analysis-cache'], 'miss', 'another language is another analysis');
    t.equal(mexican.json().language, 'es-mx');
    const latin = await post(sam, { targetWord: 'casa', language: 'es-419' }, casa);
    t.equal(latin.headers['x-analysis-cache'], 'miss');
    t.equal(latin.json().language, 'es-419');
    const english = await post(sam, { targetWord: 'casa', language: 'en' }, casa);
    t.equal(english.statusCode, 200);
    t.equal(english.json().scoredBy, 'learned', 'English keeps its model and learned scorer');
    t.ok(
      english.json().phonemeScores.every((p: PhonemeScore) => /^[A-Z]{1,2}$/.test(p.phoneme)),
      'in ARPAbet',
    );
    await (app.jobs as InProcessQueue).idle();
    const attempt = await app.orm.em.fork().findOneOrFail(WordAttempt, latin.json().attemptId);
    t.match(
      attempt.details,
      { language: 'es-419', phonemeScores: [{ phoneme: 'k' }] },
      'the attempt keeps its language',
    );
  });

  await t.test('bad input gets its status and code, and leaves no attempt or recording behind', async (t) => {
    const ana = await register(app, { nativeLanguage: 'es' });
    const attempts = () => app.orm.em.fork().count(WordAttempt, { user: ana.id });
    const perro = await speech('perro', 'es');
    const japanese = await post(ana, { targetWord: 'perro', language: 'ja' }, perro);
    const { supported } = expectEnvelope(t, japanese, 400, 'UNSUPPORTED_LANGUAGE').details as { supported: string[] };
    t.same(
      [...supported].sort(),
      ['de', 'en', 'en-us', 'es', 'es-419', 'fr', 'fr-be', 'it', 'pt', 'pt-br'],
      'every analysable language',
    );
    expectEnvelope(t, await post(ana, { targetWord: 'perro', language: 'es-!!' }, perro), 400, 'UNSUPPORTED_LANGUAGE');
    const outside = await post(ana, { targetWord: 'perro', language: 'es', phonetic: '/ˈpæro/' }, perro);
    t.match(expectEnvelope(t, outside, 400, 'INVALID_PHONETIC').message, /pæro/, 'æ is no phone of the model');
    const uvular = await post(ana, { targetWord: 'perro', language: 'es', phonetic: '/ˈpeʀo/' }, perro);
    expectEnvelope(t, uvular, 400, 'INVALID_PHONETIC');
    const twoWords = await post(ana, { targetWord: 'el perro', language: 'es', phonetic: '/ˈpero/' }, perro);
    expectEnvelope(t, twoWords, 400, 'INVALID_PHONETIC');
    // espeak-ng says the French "dos" with a vowel the model never learned.
    const unknown = await post(ana, { targetWord: 'dos', language: 'fr' }, await speech('dos', 'fr'));
    expectEnvelope(t, unknown, 422, 'UNPRONOUNCEABLE');
    const other = await post(ana, { targetWord: 'perro', language: 'es' }, await speech('gato', 'es'));
    expectEnvelope(t, other, 422, 'SPEECH_MISMATCH');
    expectEnvelope(t, await post(ana, { targetWord: 'perro', language: 'fr' }), 400, 'BAD_REQUEST');
    await (app.jobs as InProcessQueue).idle();
    t.equal(await attempts(), 0, 'no attempt was recorded for any of them');
    const stored = await readdir(app.config.storage.driver === 'local' ? app.config.storage.dir : '', {
      recursive: true,
    });
    t.same(
      stored.filter((name) => name.includes(ana.id)),
      [],
      'and no recording was stored',
    );
  });

  await t.test(
    'POST /speech/compare in every analysable language, against a synthesized native reference',
    async (t) => {
      const compare = async (fields: Record<string, string>, audio: Buffer) => {
        const form = multipart(fields, {
          field: 'audioFile',
          filename: 'take.wav',
          contentType: 'audio/wav',
          data: audio,
        });
        return app.inject({
          method: 'POST',
          url: '/speech/compare',
          headers: { ...form.headers, ...bearer(sam.token) },
          payload: form.payload,
        });
      };
      type Compared = { phoneme: string; verdict: string; similarity: number };
      const verdicts = (phones: Compared[]) => phones.map((p) => `${p.phoneme}:${p.verdict}:${p.similarity}`).join(' ');
      for (const { language, target, said, learnerVoice, reference, phone } of COMPARED) {
        const take = (text: string) =>
          synthesize(text, { language, voice: learnerVoice, rate: 160, pitch: 60, format: 'wav' });
        const right = await compare({ targetWord: target, language }, (await take(target)).audio);
        t.equal(right.statusCode, 200, `${language}: "${target}" compared`);
        const good = right.json();
        t.equal(good.reference.source, 'synthesized');
        t.equal(good.reference.voice, reference, 'said by the language’s own voice');
        t.ok(
          good.phones.every((p: Compared) => p.verdict !== 'different-sound'),
          `the same word said by another voice has no other sound: ${verdicts(good.phones)}`,
        );
        const substituted = await compare({ targetWord: target, language }, (await take(said)).audio);
        t.equal(substituted.statusCode, 200, `"${said}" compared too`);
        const wrong = substituted.json();
        const flagged = wrong.phones.filter((p: Compared) => p.verdict === 'different-sound');
        t.same(
          flagged.map((p: Compared) => p.phoneme),
          [phone],
          `"${said}" for "${target}": /${phone}/ is the other sound (${verdicts(wrong.phones)})`,
        );
        // The substituted phone loses its whole share of the sound part: 70 points over the phone count.
        const share = 70 / good.phones.length;
        t.ok(
          good.similarity - wrong.similarity >= share - 1,
          `less similar by a phone's share (${share.toFixed(1)}): ${wrong.similarity} against ${good.similarity}`,
        );
      }
      const english = await compare(
        { targetWord: 'perro', language: 'es', voice: 'gmw/en-US' },
        await speech('perro', 'es'),
      );
      t.match(expectEnvelope(t, english, 400, 'UNKNOWN_VOICE').details, {
        field: 'voice',
        voices: ['roa/es', 'roa/es-419'],
      });
      const japanese = await compare({ targetWord: 'perro', language: 'ja' }, await speech('perro', 'es'));
      const { supported } = expectEnvelope(t, japanese, 400, 'UNSUPPORTED_LANGUAGE').details as { supported: string[] };
      t.ok(
        ['en', 'es', 'fr', 'de', 'it', 'pt'].every((code) => supported.includes(code)),
        'listing what it compares',
      );
    },
  );
});
