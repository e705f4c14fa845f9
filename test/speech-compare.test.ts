import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { compareTakes, type Take } from '../plugins/speech/compare-score.ts';
import { WordAttempt } from '../src/entities/index.ts';
import { type SynthesisOptions, synthesize } from '../src/native/engine.ts';
import { bearer, type Registered, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

/** espeak-ng speech through the engine, as a WAV file. */
async function speech(text: string, options: Omit<SynthesisOptions, 'format'> = {}): Promise<Buffer> {
  return (await synthesize(text, { language: 'en-us', ...options, format: 'wav' })).audio;
}

/** A WAV file of one of ffmpeg's generated sources (lavfi), e.g. digital silence or a tone. */
function generated(source: string): Buffer {
  return execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', source, '-ac', '1', '-f', 'wav', '-']);
}

/** Another speaker: the espeak-ng program with one of its voice variants, at 22.05 kHz, as a learner would record. */
function otherVoice(text: string, variant: string, wordsPerMinute: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'speakai-compare-'));
  try {
    const file = join(dir, 'take.wav');
    execFileSync('espeak-ng', ['-v', `en-us+${variant}`, '-s', String(wordsPerMinute), '-w', file, text]);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A multipart body with any number of files, as the browser's FormData sends it. */
async function form(fields: Record<string, string>, files: Record<string, Buffer>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  for (const [name, bytes] of Object.entries(files)) data.append(name, new Blob([bytes]), `${name}.wav`);
  const request = new Request('http://localhost/', { method: 'POST', body: data });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') as string },
  };
}

interface PhoneComparison {
  phoneme: string;
  verdict: string;
  similarity: number;
  durationRatio: number;
  scoreGap: number;
  learner: { startMs: number; endMs: number; score: number };
  reference: { startMs: number; endMs: number; score: number };
}

const hasModel = existsSync(new URL('../models/manifest.json', import.meta.url));
const skip = hasModel ? false : 'no trained model in models/';

t.test('POST /speech/compare', { skip }, async (t) => {
  const { app, dataDir } = await buildTestApp(t, {
    env: { RATE_LIMIT_AUTH_MAX: '100', RATE_LIMIT_SPEECH_MAX: '1000' },
  });
  const kim = await register(app);
  const post = async (fields: Record<string, string>, files: Record<string, Buffer>, who: Registered = kim) => {
    const body = await form(fields, files);
    return app.inject({
      method: 'POST',
      url: '/speech/compare',
      headers: { ...body.headers, ...bearer(who.token) },
      payload: body.payload,
    });
  };
  const verdicts = (phones: PhoneComparison[]) => phones.map((p) => `${p.phoneme}:${p.verdict}`).join(' ');
  const think = await speech('think');

  const same = await post({ targetWord: 'think', language: 'en' }, { audioFile: think, referenceFile: think });
  t.equal(same.statusCode, 200, 'a recording compared with itself');
  const itself = same.json();
  t.ok(itself.similarity >= 99, `is as similar as can be: ${itself.similarity}`);
  t.same(
    itself.phones.map((p: PhoneComparison) => p.phoneme),
    ['TH', 'IH', 'NG', 'K'],
    'phone by phone, the target’s phonemes',
  );
  t.ok(
    itself.phones.every((p: PhoneComparison) => p.verdict === 'good' && p.durationRatio === 1 && p.scoreGap === 0),
    'every phone the same',
  );
  t.same(itself.phones[0].learner, itself.phones[0].reference, 'the two timelines coincide');
  t.match(itself.reference, { source: 'uploaded', voice: null });
  t.match(itself.words, [{ text: 'think', position: 0, verdict: 'good' }]);
  t.equal(same.headers['x-analysis-cache'], 'miss');
  const again = await post({ targetWord: 'think' }, { audioFile: think, referenceFile: think });
  t.equal(again.headers['x-analysis-cache'], 'hit', 'the same recordings and target come from the cache');
  t.same(again.json(), itself);

  const voiced = await post({ targetWord: 'think' }, { audioFile: otherVoice('think', 'f3', 150) });
  t.equal(voiced.statusCode, 200, 'without a referenceFile the reference is synthesized');
  const other = voiced.json();
  t.match(other.reference, { source: 'synthesized', voice: 'gmw/en-US' });
  t.ok(other.similarity >= 85, `another voice is still close: ${other.similarity}`);
  t.equal(verdicts(other.phones), 'TH:good IH:good NG:good K:good');
  t.ok(
    other.phones.every(
      (p: PhoneComparison) => p.learner.endMs > p.learner.startMs && p.reference.endMs > p.reference.startMs,
    ),
    'both timelines are timed',
  );

  const sentence = 'the weather is nice today';
  const slower = (await post({ targetWord: sentence }, { audioFile: otherVoice(sentence, 'f3', 130) })).json();
  t.ok(slower.similarity >= 90, `another voice at 130 words a minute against 175 is close: ${slower.similarity}`);
  t.equal(slower.tempo.verdict, 'slower', `its tempo is told as slower (${slower.tempo.ratio})`);
  t.equal(slower.parts.pace, 100, 'and costs nothing within 2/3 of the reference’s rate');
  t.ok(
    slower.phones.every((p: PhoneComparison) => p.verdict === 'good'),
    `no phone is flagged for the tempo: ${verdicts(slower.phones)}`,
  );
  t.same(
    slower.words.map((w: { text: string }) => w.text),
    ['the', 'weather', 'is', 'nice', 'today'],
    'word by word too',
  );

  const sink = (await post({ targetWord: 'think' }, { audioFile: await speech('sink') })).json();
  t.equal(
    sink.phones[0].verdict,
    'different-sound',
    `"sink" for "think": TH is another sound (${verdicts(sink.phones)})`,
  );
  t.ok(
    sink.phones[0].similarity < 75 && sink.phones[0].scoreGap <= -10,
    `heard unlike the reference’s and scored lower (similarity ${sink.phones[0].similarity}, gap ${sink.phones[0].scoreGap})`,
  );
  t.ok(
    sink.phones.slice(1).every((p: PhoneComparison) => p.verdict !== 'different-sound'),
    'the other sounds are the same',
  );
  t.ok(sink.similarity + 10 < other.similarity, `clearly less similar: ${sink.similarity} against ${other.similarity}`);
  t.equal(sink.words[0].verdict, 'different-sound', 'the word takes its phone’s verdict');
  t.match(sink.summary, /θ\/ in "think" sounded different/);
  t.same(
    sink.phones.map((p: PhoneComparison) => p.reference),
    other.phones.map((p: PhoneComparison) => p.reference),
    'the synthesized reference was analysed once and reused',
  );

  const slowly = 'she is nice';
  const slow = (await post({ targetWord: slowly }, { audioFile: await speech(slowly, { rate: 80 }) })).json();
  const long = slow.phones.filter((p: PhoneComparison) => p.verdict === 'too-long');
  t.ok(long.length > 0, `a much slower rendition holds some sounds too long: ${verdicts(slow.phones)}`);
  t.ok(
    long.every((p: PhoneComparison) => p.durationRatio > 1.5),
    'longer than their share of the (slower) speaking time',
  );
  t.ok(slow.parts.sound >= 90, `and keeps its sounds: ${slow.parts.sound}`);
  t.equal(slow.tempo.verdict, 'slower');

  const rp = await post({ targetWord: 'think', voice: 'gmw/en-GB-x-rp', speed: '0.8' }, { audioFile: think });
  t.equal(rp.statusCode, 200, 'another synthesized voice and speed');
  t.match(rp.json().reference, { source: 'synthesized', voice: 'gmw/en-GB-x-rp' });
  t.ok(rp.json().reference.durationMs > other.reference.durationMs, 'a slower reference is longer');
  t.ok(rp.json().similarity >= 80, `and the learner is still close to it: ${rp.json().similarity}`);

  t.test('bad input gets its status and code, and leaves nothing behind', async (t) => {
    const attempts = () => app.orm.em.fork().count(WordAttempt, {});
    const before = await attempts();
    const target = { targetWord: 'think' };
    const silence = generated('anullsrc=r=16000:cl=mono:d=1');
    const tone = generated('sine=f=500:r=16000:d=31');
    const pdf = Buffer.from('%PDF-1.7 not audio at all');
    const field = (res: Awaited<ReturnType<typeof post>>, status: number, code: string) =>
      (expectEnvelope(t, res, status, code).details as { field?: string } | undefined)?.field;

    t.equal(field(await post({ language: 'en' }, { audioFile: think }), 400, 'BAD_REQUEST'), 'targetWord');
    t.equal(field(await post(target, { referenceFile: think }), 400, 'BAD_REQUEST'), 'audioFile');
    const unknown = await post({ ...target, sessionId: 'x' }, { audioFile: think });
    t.same(expectEnvelope(t, unknown, 400, 'BAD_REQUEST').details, { fields: ['sessionId'] });
    const japanese = await post({ targetWord: 'arigatou', language: 'ja' }, { audioFile: think });
    const { supported } = expectEnvelope(t, japanese, 400, 'UNSUPPORTED_LANGUAGE').details as { supported: string[] };
    t.ok(supported.includes('en'), 'listing the languages it compares');
    const klingon = await post({ ...target, voice: 'tlh' }, { audioFile: think });
    const unknownVoice = expectEnvelope(t, klingon, 400, 'UNKNOWN_VOICE').details as {
      field: string;
      voices: string[];
    };
    t.ok(unknownVoice.field === 'voice' && unknownVoice.voices.includes('gmw/en-US'), 'with the English voices');
    t.equal(
      field(
        await post({ ...target, voice: 'gmw/en-US' }, { audioFile: think, referenceFile: think }),
        400,
        'BAD_REQUEST',
      ),
      'voice',
    );
    t.equal(field(await post({ ...target, speed: '5' }, { audioFile: think }), 400, 'BAD_REQUEST'), 'speed');
    expectEnvelope(t, await post({ ...target, phonetic: '/qqq/' }, { audioFile: think }), 400, 'INVALID_PHONETIC');

    for (const file of ['audioFile', 'referenceFile']) {
      const with_ = (bad: Buffer) => post(target, { audioFile: think, referenceFile: think, [file]: bad });
      t.equal(field(await with_(pdf), 415, 'AUDIO_UNSUPPORTED_FORMAT'), file, `415 names ${file}`);
      t.equal(field(await with_(silence), 422, 'AUDIO_NO_SPEECH'), file);
      t.equal(field(await with_(think.subarray(0, 44)), 422, 'AUDIO_EMPTY'), file);
      t.equal(field(await with_(think.subarray(0, 40)), 422, 'AUDIO_CORRUPT'), file);
      t.equal(field(await with_(tone), 413, 'AUDIO_TOO_LONG'), file);
    }
    const dog = await speech('dog');
    const mismatch = await post(target, { audioFile: dog });
    expectEnvelope(t, mismatch, 422, 'SPEECH_MISMATCH');
    const badReference = await post(target, { audioFile: think, referenceFile: dog });
    t.match(expectEnvelope(t, badReference, 422, 'REFERENCE_MISMATCH').message, /reference/);

    const json = await app.inject({ method: 'POST', url: '/speech/compare', headers: bearer(kim.token), payload: {} });
    expectEnvelope(t, json, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const body = await form(target, { audioFile: think });
    const anonymous = await app.inject({ method: 'POST', url: '/speech/compare', ...body });
    expectEnvelope(t, anonymous, 401, 'UNAUTHORIZED');

    t.equal(await attempts(), before, 'no word attempt, for a comparison or a refusal');
    const storage = join(dataDir, 'storage');
    t.same(existsSync(storage) ? readdirSync(storage) : [], [], 'and no stored file');
  });

  t.test('the OpenAPI document describes every field', async (t) => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const operation = doc.paths['/speech/compare'].post;
    const form = operation.requestBody.content['multipart/form-data'].schema;
    t.same(Object.keys(form.properties).sort(), [
      'audioFile',
      'language',
      'phonetic',
      'referenceFile',
      'speed',
      'targetWord',
      'voice',
    ]);
    t.ok(
      Object.values(form.properties).every((p) => (p as { description?: string }).description),
      'each described',
    );
    const phone = operation.responses['200'].content['application/json'].schema.properties.phones.items;
    t.ok(
      Object.values(phone.properties).every(
        (p) => (p as { description?: string; type?: string }).description || (p as { type?: string }).type === 'object',
      ),
    );
  });
});

t.test('10 comparisons a minute per learner', { skip }, async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100', RATE_LIMIT_SPEECH_MAX: '2' } });
  const [ana, bo] = [await register(app), await register(app)];
  const audio = await speech('ship');
  const send = async (url: string, who: Registered) => {
    const body = await form({ targetWord: 'ship' }, { audioFile: audio });
    return app.inject({
      method: 'POST',
      url,
      headers: { ...body.headers, ...bearer(who.token) },
      payload: body.payload,
    });
  };
  const statuses = [];
  for (let i = 0; i < 2; i++) statuses.push((await send('/speech/compare', ana)).statusCode);
  t.same(statuses, [200, 200]);
  t.match(expectEnvelope(t, await send('/speech/compare', ana), 429, 'RATE_LIMITED').details, { limit: 2 });
  t.equal((await send('/speech/compare', bo)).statusCode, 200, 'another learner has a count of their own');
  t.equal((await send('/speech/analyze', ana)).statusCode, 200, 'and analyze a count of its own');
});

t.test('compareTakes: tempo alone is no fault, a stretched or another sound is', async (t) => {
  const PHONES = [1, 2, 3];
  /** A take of three phones of these lengths; `heardAs` and `scores` say what the model heard and scored. */
  const take = (lengths: number[], heardAs = PHONES, scores = [95, 95, 95]): Take => {
    const starts = lengths.map((_, i) => lengths.slice(0, i).reduce((sum, ms) => sum + ms, 0));
    const speakingMs = lengths.reduce((sum, ms) => sum + ms, 0);
    return {
      durationMs: speakingMs + 200,
      accuracy: 90,
      phones: PHONES.map((phone, i) => ({
        phone,
        word: 0,
        startMs: starts[i] as number,
        endMs: (starts[i] as number) + (lengths[i] as number),
        score: scores[i] as number,
        heard: [0, 1, 2, 3].map((candidate) => (candidate === heardAs[i] ? 0.97 : 0.01)),
      })),
      words: [{ index: 0, text: 'abc', startMs: 0, endMs: speakingMs, accuracy: 90 }],
      fluency: {
        speakingMs,
        phonesPerSecond: (1000 * PHONES.length) / speakingMs,
        wordsPerMinute: 60000 / speakingMs,
        pauseCount: 0,
        pauseMs: 0,
      },
    };
  };
  const label = (phone: number) => ({ phoneme: `P${phone}`, ipa: `p${phone}` });
  const reference = take([100, 200, 100]);
  const verdicts = (comparison: ReturnType<typeof compareTakes>) => comparison.phones.map((p) => p.verdict);

  const slow = compareTakes(take([200, 400, 200]), reference, label);
  t.same(
    slow.phones.map((p) => p.durationRatio),
    [1, 1, 1],
    'twice as slow throughout: every phone keeps its share',
  );
  t.same(verdicts(slow), ['good', 'good', 'good']);
  t.match(slow, { tempo: { ratio: 0.5, verdict: 'slower' }, parts: { sound: 100, rhythm: 100 } });
  t.ok(slow.parts.pace < 100, 'half the rate is beyond 2/3 of it: the pace costs a little');

  const stretched = compareTakes(take([100, 700, 100]), reference, label);
  t.same(verdicts(stretched), ['good', 'too-long', 'good'], 'one sound held 3.5 times as long');
  t.ok(stretched.parts.rhythm < 100 && stretched.parts.sound === 100);

  const substituted = compareTakes(take([100, 200, 100], [0, 2, 3], [20, 95, 95]), reference, label);
  t.same(verdicts(substituted), ['different-sound', 'good', 'good'], 'the model heard another phone, scored lower');
  t.ok(substituted.similarity < slow.similarity);
  t.same(substituted.words[0]?.verdict, 'different-sound');

  const unsure = compareTakes(take([100, 200, 100], [0, 2, 3]), reference, label);
  t.equal(unsure.phones[0]?.verdict, 'good', 'heard differently but scored as well as the reference: not flagged');

  const shorter = { ...reference, phones: reference.phones.slice(0, 2) };
  t.throws(() => compareTakes(shorter, reference, label), /not aligned to the same phones/);
});
