import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { decodeAudio } from '../src/native/engine.ts';
import { bearer, type Registered, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

interface Phone {
  ipa: string;
  startMs: number;
  endMs: number;
}
interface Generated {
  audioUrl: string;
  duration: number;
  format: string;
  contentType: string;
  phones: Phone[];
}

const OPUS_FRAME_MS = 20;
const MP3_FRAME_MS = (1152 * 1000) / 22050;
const phoneLength = (phones: Phone[], ipa: string) => {
  const phone = phones.find((candidate) => candidate.ipa === ipa);
  return phone ? phone.endMs - phone.startMs : Number.NaN;
};

/** Fetches a signed URL: local files through the app's /files route, S3 over HTTP. */
async function download(app: FastifyInstance, url: string): Promise<{ type: string; bytes: Buffer }> {
  if (url.includes('/files/')) {
    const res = await app.inject({ url: url.slice(url.indexOf('/files/')) });
    return { type: String(res.headers['content-type']), bytes: res.rawPayload };
  }
  const res = await fetch(url);
  return { type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The audio behind the URL really is what the answer says: its type, and its duration within a codec frame. */
async function checkAudio(t: Test, app: FastifyInstance, body: Generated, frameMs: number) {
  const { type, bytes } = await download(app, body.audioUrl);
  t.equal(type, body.contentType, `served as ${body.contentType}`);
  const decoded = await decodeAudio(bytes);
  t.ok(
    Math.abs(decoded.durationMs - body.duration) <= frameMs,
    `decodes to ${decoded.durationMs} ms; the answer says ${body.duration} ms`,
  );
}

const storedFiles = async (dataDir: string) =>
  (await readdir(join(dataDir, 'storage', 'reference-audio')).catch(() => [])).filter((f) => !f.endsWith('.meta.json'));

t.test('POST /speech/generate-audio', async (t) => {
  const { app, dataDir } = await buildTestApp(t, {
    env: { RATE_LIMIT_AUTH_MAX: '100', RATE_LIMIT_SPEECH_MAX: '100' },
  });
  const mei = await register(app);
  const generate = (body: Record<string, unknown>, who: Registered | null = mei) =>
    app.inject({
      method: 'POST',
      url: '/speech/generate-audio',
      headers: who ? bearer(who.token) : {},
      payload: body,
    });

  const first = await generate({ text: 'think', language: 'en' });
  t.equal(first.statusCode, 200, 'a word is synthesized');
  t.equal(first.headers['x-reference-cache'], 'miss');
  const think = first.json() as Generated;
  t.match(think, { format: 'opus', contentType: 'audio/ogg' }, 'Ogg/Opus by default');
  t.same(
    think.phones.map((phone) => phone.ipa),
    ['θ', 'ɪ', 'ŋ', 'k'],
    'with the timings of its phones',
  );
  t.match(think.audioUrl, /\/files\/reference-audio\/[0-9a-f]{64}\.ogg\?expires=\d+&signature=/);
  await checkAudio(t, app, think, OPUS_FRAME_MS);
  t.equal((await storedFiles(dataDir)).length, 2, 'the audio and its timings are stored');

  t.test('the same request is served from storage, not synthesized again', async (t) => {
    const again = await generate({ text: '  think ', language: 'EN', voice: 'gmw/en-US', speed: 1, format: 'opus' });
    t.equal(again.statusCode, 200);
    t.equal(again.headers['x-reference-cache'], 'hit', 'the same text, normalized, with the defaults spelled out');
    const body = again.json() as Generated;
    t.equal(body.audioUrl.split('?')[0], think.audioUrl.split('?')[0], 'the same file');
    t.same(body.phones, think.phones, 'the stored timings');
    t.equal((await storedFiles(dataDir)).length, 2, 'nothing new was stored');
    const other = await generate({ text: 'think', language: 'en', speed: 0.8 });
    t.equal(other.headers['x-reference-cache'], 'miss', 'another speed is another file');
    t.ok((other.json() as Generated).duration > think.duration * 1.1, 'and slower');
  });

  t.test('MP3 with an emphasized phoneme', async (t) => {
    const text = 'I think so.';
    const plain = (await generate({ text, language: 'en', format: 'mp3' })).json() as Generated;
    const res = await generate({ text, language: 'en', format: 'mp3', emphasizePhonemes: ['/θ/'] });
    t.equal(res.statusCode, 200);
    const emphasized = res.json() as Generated;
    t.match(emphasized, { format: 'mp3', contentType: 'audio/mpeg' });
    t.match(emphasized.audioUrl, /\.mp3\?/);
    await checkAudio(t, app, emphasized, MP3_FRAME_MS);
    // espeak-ng's timings vary by a fraction of a millisecond between runs.
    const ratio = phoneLength(emphasized.phones, 'θ') / phoneLength(plain.phones, 'θ');
    t.ok(Math.abs(ratio - 1.6) < 0.05, `θ is 1.6 times longer (${ratio.toFixed(3)})`);
    t.ok(Math.abs(phoneLength(emphasized.phones, 'oʊ') - phoneLength(plain.phones, 'oʊ')) < 2, 'oʊ is not');
  });

  t.test('a voice of the language', async (t) => {
    const rp = await generate({ text: 'bath', language: 'en', voice: 'gmw/en-GB-x-rp' });
    t.equal(rp.statusCode, 200);
    t.ok(
      (rp.json() as Generated).phones.some((phone) => phone.ipa === 'ɑː'),
      'Received Pronunciation says the long a of "bath"',
    );
    const spanish = await generate({ text: '¿Dónde está el baño?', language: 'es', format: 'mp3' });
    t.equal(spanish.statusCode, 200, 'a language without a guide has reference audio too');
    await checkAudio(t, app, spanish.json() as Generated, MP3_FRAME_MS);
  });

  t.test('bad requests are refused with a code, and nothing is stored', async (t) => {
    const before = await storedFiles(dataDir);
    const refused = async (body: Record<string, unknown>, code: string, what: string) => {
      const error = expectEnvelope(t, await generate(body), 400, code);
      t.pass(what);
      return error;
    };
    await refused({ text: '', language: 'en' }, 'TEXT_EMPTY', 'empty text');
    await refused({ text: ' ... ?! ', language: 'en' }, 'TEXT_EMPTY', 'punctuation only');
    await refused({ text: 'word '.repeat(41), language: 'en' }, 'TEXT_TOO_LONG', 'over 200 characters');
    const language = await refused({ text: 'think', language: 'tlh' }, 'UNSUPPORTED_LANGUAGE', 'unknown language');
    t.ok((language.details as { supported: string[] }).supported.includes('en'), 'the supported languages are listed');
    const voice = await refused({ text: 'think', language: 'en', voice: 'gmw/es' }, 'UNKNOWN_VOICE', 'foreign voice');
    t.ok((voice.details as { voices: string[] }).voices.includes('gmw/en-US'), "the language's voices are listed");
    const phoneme = await refused(
      { text: 'think', language: 'en', emphasizePhonemes: ['θ', 'ʒ'] },
      'PHONEME_NOT_IN_TEXT',
      'a phoneme the text does not have',
    );
    t.same(phoneme.details, { missing: ['ʒ'], available: ['θ', 'ɪ', 'ŋ', 'k'] });
    await refused({ text: 'think', language: 'en', emphasizePhonemes: ['//'] }, 'INVALID_PHONEME', 'no phoneme');
    await refused({ text: 'think', language: 'en', speed: 3 }, 'VALIDATION_ERROR', 'too fast');
    await refused({ text: 'think', language: 'en', speed: 0.1 }, 'VALIDATION_ERROR', 'too slow');
    await refused({ text: 'think', language: 'en', format: 'wav' }, 'VALIDATION_ERROR', 'unknown format');
    await refused({ text: 'think', language: 'en', emphasizePhonemes: Array(17).fill('θ') }, 'VALIDATION_ERROR', '17');
    await refused({ text: 'think', language: 'en', volume: 11 }, 'VALIDATION_ERROR', 'unknown field');
    await refused({ language: 'en' }, 'VALIDATION_ERROR', 'no text');
    expectEnvelope(t, await generate({ text: 'think', language: 'en' }, null), 401, 'UNAUTHORIZED');
    t.same(await storedFiles(dataDir), before, 'no file was written for any of them');
  });
});

t.test('generate-audio has the speech rate limit, per learner', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100', RATE_LIMIT_SPEECH_MAX: '2' } });
  const [ana, ben] = [await register(app), await register(app)];
  const generate = (who: Registered) =>
    app.inject({
      method: 'POST',
      url: '/speech/generate-audio',
      headers: bearer(who.token),
      payload: { text: 'hello', language: 'en' },
    });
  t.equal((await generate(ana)).statusCode, 200);
  t.equal((await generate(ana)).statusCode, 200);
  expectEnvelope(t, await generate(ana), 429, 'RATE_LIMITED');
  t.equal((await generate(ben)).statusCode, 200, 'another learner has his own allowance');
});

t.test('the phoneme guide links each example word to its reference audio', async (t) => {
  const { app } = await buildTestApp(t, { storage: 's3', env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const mei = await register(app);
  const guide = await app.inject({ url: '/speech/phonemes/en', headers: bearer(mei.token) });
  const th = (guide.json().phonemes as Array<{ symbol: string; examples: string[]; exampleAudio: unknown[] }>).find(
    (phoneme) => phoneme.symbol === 'TH',
  );
  t.equal(th?.exampleAudio.length, th?.examples.length, 'one link per example');
  const think = th?.exampleAudio[0] as { text: string; opusUrl: string; mp3Url: string };
  t.equal(think.text, 'think');
  const path = (url: string) => url.slice(url.indexOf('/speech/'));

  const follow = async (url: string): Promise<LightMyRequestResponse> => app.inject({ url: path(url) });
  const first = await follow(think.opusUrl);
  t.equal(first.statusCode, 302, 'the link redirects, with no bearer token');
  t.equal(first.headers['x-reference-cache'], 'miss', 'synthesized on first use');
  const stored = await download(app, String(first.headers.location));
  t.equal(stored.type, 'audio/ogg');
  t.ok((await decodeAudio(stored.bytes)).durationMs > 200, 'to audio that decodes');
  t.equal((await follow(think.opusUrl)).headers['x-reference-cache'], 'hit', 'then served from storage');

  const generated = await app.inject({
    method: 'POST',
    url: '/speech/generate-audio',
    headers: bearer(mei.token),
    payload: { text: 'think', language: 'en' },
  });
  t.equal(generated.headers['x-reference-cache'], 'hit', 'generate-audio shares the same files');
  await checkAudio(t, app, generated.json() as Generated, OPUS_FRAME_MS);

  const mp3 = await follow(think.mp3Url);
  t.equal(mp3.statusCode, 302);
  t.equal((await download(app, String(mp3.headers.location))).type, 'audio/mpeg');

  const forged = think.opusUrl.replace('text=think', 'text=something+else');
  expectEnvelope(t, await follow(forged), 403, 'INVALID_SIGNATURE');
  const expired = think.opusUrl.replace(/expires=\d+/, 'expires=1000');
  expectEnvelope(t, await follow(expired), 403, 'INVALID_SIGNATURE');
  expectEnvelope(t, await app.inject({ url: '/speech/reference-audio?text=think' }), 400, 'VALIDATION_ERROR');
});
