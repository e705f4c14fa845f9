/**
 * The native engine through its TypeScript face (src/native/engine.ts). Needs the built addon
 * (npx cmake-js compile) and the espeak-ng and ffmpeg CLIs, which generate every audio fixture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  computeFeatures,
  decodeAudio,
  listLanguages,
  NativeEngineError,
  type NativeErrorCode,
  onnxRuntimeVersion,
  SAMPLE_RATE,
  synthesize,
  textToPhonemes,
} from '../../src/native/engine.ts';
import { assertEventLoopFree } from './event-loop.ts';

const LOG_FLOOR = Math.log(2 ** -23); // log(FLT_EPSILON)

const fixtures = mkdtempSync(join(tmpdir(), 'speakai-native-'));
t.teardown(() => rmSync(fixtures, { recursive: true, force: true }));
execFileSync(
  'bash',
  [fileURLToPath(new URL('../../scripts/native/make-audio-fixtures.sh', import.meta.url)), fixtures],
  {
    stdio: 'ignore',
  },
);
const fixture = (name: string) => readFileSync(join(fixtures, name));

async function rejectsWith(
  test: Pick<typeof t, 'rejects'>,
  promise: Promise<unknown>,
  code: NativeErrorCode,
  what: string,
) {
  await test.rejects(promise, { name: 'NativeEngineError', code }, `${what}: ${code}`);
}

t.test('links ONNX Runtime', async (t) => {
  t.match(onnxRuntimeVersion(), /^\d+\.\d+\.\d+/);
});

t.test('decodes every accepted container to 16 kHz mono float32', async (t) => {
  const reference = await decodeAudio(fixture('wav_s16le.wav'));
  t.ok(reference.durationMs > 2000, 'the reference holds the whole sentence');
  const formats = [
    'webm_opus.webm',
    'webm_live.webm',
    'mp4_aac.m4a',
    'mp4_fragmented.m4a',
    'ogg_opus.ogg',
    'ogg_vorbis.ogg',
    'mp3.mp3',
    'flac.flac',
    'wav_u8.wav',
    'wav_s24le.wav',
    'wav_s32le.wav',
    'wav_f32le.wav',
    'wav_f64le.wav',
    'wav_stereo_48k.wav',
  ];
  for (const name of formats) {
    const audio = await decodeAudio(fixture(name), { maxBytes: 5_000_000, maxDurationSec: 10 });
    t.equal(audio.sampleRate, SAMPLE_RATE, `${name}: sample rate`);
    t.ok(audio.samples instanceof Float32Array, `${name}: Float32Array`);
    t.equal(audio.samples.length, Math.round((audio.durationMs * SAMPLE_RATE) / 1000), `${name}: length`);
    // Codec priming/padding: up to ~93 ms for AAC without an edit list.
    t.ok(Math.abs(audio.durationMs - reference.durationMs) < 120, `${name}: ${audio.durationMs} ms`);
  }
});

t.test('every decode failure has its code', async (t) => {
  await rejectsWith(t, decodeAudio(new Uint8Array(0)), 'AUDIO_EMPTY', 'empty buffer');
  await rejectsWith(t, decodeAudio(fixture('webm_opus.webm'), { maxBytes: 1000 }), 'AUDIO_TOO_LARGE', 'over maxBytes');
  await rejectsWith(t, decodeAudio(fixture('random.bin')), 'AUDIO_UNSUPPORTED_FORMAT', 'random bytes');
  await rejectsWith(t, decodeAudio(fixture('aiff.aiff')), 'AUDIO_UNSUPPORTED_FORMAT', 'container not accepted');
  await rejectsWith(t, decodeAudio(fixture('video_only.mp4')), 'AUDIO_UNSUPPORTED_FORMAT', 'no audio stream');
  await rejectsWith(t, decodeAudio(fixture('truncated_header.wav')), 'AUDIO_CORRUPT', 'truncated header');
  await rejectsWith(t, decodeAudio(fixture('long.flac')), 'AUDIO_TOO_LONG', '31 s file');
  await rejectsWith(
    t,
    decodeAudio(fixture('webm_opus.webm'), { maxDurationSec: 1 }),
    'AUDIO_TOO_LONG',
    'over maxDurationSec',
  );
  await rejectsWith(t, decodeAudio(fixture('silence.wav')), 'AUDIO_NO_SPEECH', 'digital silence');
  await rejectsWith(t, decodeAudio('audio' as unknown as Uint8Array), 'INVALID_ARGUMENT', 'a string');
  await rejectsWith(t, decodeAudio(fixture('flac.flac'), { maxDurationSec: -1 }), 'INVALID_ARGUMENT', 'bad limit');
  const error = await decodeAudio(new Uint8Array(0)).catch((e: unknown) => e);
  t.ok(error instanceof NativeEngineError && error instanceof Error, 'a NativeEngineError is an Error');
});

t.test('a truncated recording decodes to what is there', async (t) => {
  const full = await decodeAudio(fixture('webm_opus.webm'));
  const half = await decodeAudio(fixture('truncated_half.webm'));
  t.ok(half.durationMs > 0.3 * full.durationMs && half.durationMs < 0.8 * full.durationMs);
});

t.test('inputs are copied: the caller may reuse its buffer at once', async (t) => {
  const bytes = new Uint8Array(fixture('flac.flac'));
  const pending = decodeAudio(bytes);
  bytes.fill(0);
  t.ok((await pending).durationMs > 2000);
});

t.test('views into larger buffers are read at their offset', async (t) => {
  const flac = fixture('flac.flac');
  const padded = new Uint8Array(flac.length + 1000).fill(0xff);
  padded.set(flac, 500);
  const audio = await decodeAudio(padded.subarray(500, 500 + flac.length));
  t.ok(audio.durationMs > 2000, 'decoded the FLAC inside the padding');

  const whole = await computeFeatures(audio.samples);
  const tail = await computeFeatures(audio.samples.subarray(160));
  t.equal(tail.frames, whole.frames - 1);
  t.same(tail.data.subarray(0, 80), whole.data.subarray(80, 160), 'frame 1 of the whole is frame 0 of the tail');
});

t.test('computes log-mel features', async (t) => {
  const audio = await decodeAudio(fixture('wav_s16le.wav'));
  const features = await computeFeatures(audio.samples);
  t.equal(features.dims, 80);
  t.equal(features.frames, 1 + Math.floor((audio.samples.length - 400) / 160), 'snip-edges frame count');
  t.equal(features.data.length, features.frames * features.dims);
  t.ok(
    features.data.every((v) => Number.isFinite(v) && v >= LOG_FLOOR - 1e-4),
    'finite, floored at log(FLT_EPSILON)',
  );
  t.ok(Math.max(...features.data) > 10, 'speech has energy well above the floor');

  t.same(await computeFeatures(new Float32Array(399)), { data: new Float32Array(0), frames: 0, dims: 80 });
  const silence = await computeFeatures(new Float32Array(1600));
  t.ok(
    silence.data.every((v) => Math.abs(v - LOG_FLOOR) < 1e-5),
    'silence sits on the floor',
  );
  await rejectsWith(t, computeFeatures([0, 1] as unknown as Float32Array), 'INVALID_ARGUMENT', 'a plain array');
});

t.test('text to phonemes, English and Spanish', async (t) => {
  const en = await textToPhonemes('Hello, world! I have 42 cats.', 'en-us');
  t.same(
    en.words.map((w) => w.text),
    ['Hello', 'world', 'I', 'have', '42', 'cats'],
  );
  t.same(en.words[0], {
    text: 'Hello',
    ipa: 'həlˈoʊ',
    phones: [
      { ipa: 'h', stress: 0 },
      { ipa: 'ə', stress: 0 },
      { ipa: 'l', stress: 0 },
      { ipa: 'oʊ', stress: 1 },
    ],
  });
  t.ok((en.words[4]?.phones.length ?? 0) > 5, '"42" is spoken as two words');

  const es = await textToPhonemes('¿Dónde está el baño?', 'es');
  t.same(
    es.words.map((w) => w.text),
    ['Dónde', 'está', 'el', 'baño'],
  );
  t.same(
    es.words[3]?.phones.map((p) => `${p.ipa}${p.stress}`),
    ['β0', 'a1', 'ɲ0', 'o0'],
  );

  await rejectsWith(t, textToPhonemes('hello', 'xx-nope'), 'LANGUAGE_UNSUPPORTED', 'unknown language');
  await rejectsWith(t, textToPhonemes(' ?! ', 'en-us'), 'TEXT_EMPTY', 'only punctuation');
  await rejectsWith(t, textToPhonemes('a'.repeat(5001), 'en-us'), 'TEXT_TOO_LONG', 'over 5000 bytes');
});

t.test('synthesizes speech with monotonic phone timings inside the audio', async (t) => {
  for (const [text, language] of [
    ['The quick brown fox jumps over the lazy dog.', 'en-us'],
    ['Buenos días, ¿cómo estás?', 'es'],
  ] as const) {
    const speech = await synthesize(text, { language, rate: 160, pitch: 45 });
    t.equal(speech.sampleRate, SAMPLE_RATE);
    t.equal(speech.samples.length, Math.round((speech.durationMs * SAMPLE_RATE) / 1000), `${language}: length`);
    t.ok(speech.phones.length > 10, `${language}: ${speech.phones.length} phones`);
    let previousEnd = 0;
    const ordered = speech.phones.every((p) => {
      const ok = p.ipa.length > 0 && p.startMs >= previousEnd && p.endMs >= p.startMs && p.endMs <= speech.durationMs;
      previousEnd = p.endMs;
      return ok;
    });
    t.ok(ordered, `${language}: phones ordered, non-overlapping, inside ${speech.durationMs} ms`);

    const features = await computeFeatures(speech.samples);
    t.ok(features.frames > 50, `${language}: synthetic speech feeds the features`);
  }

  const normal = await synthesize('one two three four five');
  const fast = await synthesize('one two three four five', { rate: 350 });
  t.ok(fast.durationMs < 0.75 * normal.durationMs, 'rate is words per minute');
  await rejectsWith(t, synthesize('hello', { rate: 10 }), 'INVALID_ARGUMENT', 'rate out of range');
  await rejectsWith(t, synthesize('hello', { pitch: 1.5 }), 'INVALID_ARGUMENT', 'fractional pitch');
  await rejectsWith(t, synthesize('hello', { language: 'zz' }), 'LANGUAGE_UNSUPPORTED', 'unknown language');
});

t.test('lists espeak-ng languages', async (t) => {
  const languages = await listLanguages();
  const tags = new Set(languages.map((l) => l.language));
  t.ok(tags.has('en-us') && tags.has('es'), `${languages.length} languages include en-us and es`);
});

t.test('parallel calls from the event loop all settle', async (t) => {
  const results = await Promise.all([
    decodeAudio(fixture('mp3.mp3')),
    synthesize('first sentence', { language: 'en-us' }),
    textToPhonemes('segunda frase', 'es'),
    synthesize('tercera frase', { language: 'es' }),
    decodeAudio(fixture('ogg_vorbis.ogg')),
    listLanguages(),
  ]);
  t.equal(results.length, 6);
});

t.test('decoding and features do not block the event loop', async (t) => {
  const webm = fixture('webm_opus.webm'); // ~3 s of WebM/Opus speech
  const eight = () =>
    Promise.all(Array.from({ length: 8 }, async () => computeFeatures((await decodeAudio(webm)).samples)));
  await assertEventLoopFree(t, eight, '8 clips decoded with features');
});

t.test('concurrent syntheses do not hold up a decode', async (t) => {
  // espeak-ng takes one caller at a time. Were each waiting synthesis to hold a libuv pool thread (4 by default),
  // 8 of them would fill the pool and the decode, queued behind them, would settle after about half of them.
  const settled: string[] = [];
  // Each synthesis takes several times as long as the decode (~40 ms against ~6 ms here).
  const text = 'The quick brown fox jumps over the lazy dog, then naps in the warm afternoon sun. '.repeat(4);
  const syntheses = Array.from({ length: 8 }, (_, i) => synthesize(text).then(() => settled.push(`synthesis ${i}`)));
  const decode = decodeAudio(fixture('webm_opus.webm')).then(() => settled.push('decode'));
  const started = performance.now();
  await Promise.all([...syntheses, decode]);
  t.comment(`8 syntheses and a decode in ${(performance.now() - started).toFixed(0)} ms`);
  // One synthesis runs alongside the decode from the start; allow it to win a close race on a loaded machine.
  t.ok(settled.indexOf('decode') <= 1, `settled in order: ${settled.join(', ')}`);
});
