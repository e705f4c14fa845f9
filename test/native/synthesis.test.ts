/**
 * Reference audio through the engine's TypeScript face: synthesize() with a format encodes on the libuv pool into
 * files our own decoder reads back, and emphasis lengthens only the chosen phonemes. Needs the built addon.
 */
import t from 'tap';
import {
  decodeAudio,
  type EncodedFormat,
  NativeEngineError,
  type NativeErrorCode,
  SAMPLE_RATE,
  synthesisVersion,
  synthesize,
  type TimedPhone,
} from '../../src/native/engine.ts';
import { assertEventLoopFree } from './event-loop.ts';

const TEXT = 'I think that is the thing.';

async function rejectsWith(test: Pick<typeof t, 'rejects'>, promise: Promise<unknown>, code: NativeErrorCode) {
  await test.rejects(promise, { name: 'NativeEngineError', code }, code);
}

const duration = (phone: TimedPhone) => phone.endMs - phone.startMs;

const FORMATS: Array<{
  format: EncodedFormat;
  contentType: string;
  sampleRate: number;
  magic: string;
  frameMs: number;
}> = [
  { format: 'opus', contentType: 'audio/ogg', sampleRate: 48000, magic: 'OggS', frameMs: 20 },
  { format: 'mp3', contentType: 'audio/mpeg', sampleRate: 22050, magic: '\xff', frameMs: (1152 * 1000) / 22050 },
  { format: 'wav', contentType: 'audio/wav', sampleRate: 22050, magic: 'RIFF', frameMs: 1 },
];

t.test('each format is a complete file that decodes back to its duration', async (t) => {
  for (const { format, contentType, sampleRate, magic, frameMs } of FORMATS) {
    const speech = await synthesize(TEXT, { format });
    t.equal(speech.format, format);
    t.equal(speech.contentType, contentType, `${format}: content type`);
    t.equal(speech.sampleRate, sampleRate, `${format}: encoded at ${sampleRate} Hz`);
    t.ok(Buffer.isBuffer(speech.audio), `${format}: a Buffer`);
    t.equal(
      speech.audio.subarray(0, magic.length).toString('latin1'),
      magic,
      `${format}: starts like a ${format} file`,
    );
    const decoded = await decodeAudio(speech.audio);
    t.ok(
      Math.abs(decoded.durationMs - speech.durationMs) <= frameMs,
      `${format}: decodes to ${decoded.durationMs} ms, encoded ${speech.durationMs} ms`,
    );
    t.equal(speech.phones.at(-1)?.ipa, 'ŋ', `${format}: the timings come along`);
  }
});

t.test("'pcm' keeps the engine's shape", async (t) => {
  for (const speech of [await synthesize(TEXT), await synthesize(TEXT, { format: 'pcm' })]) {
    t.equal(speech.sampleRate, SAMPLE_RATE);
    t.ok(speech.samples instanceof Float32Array);
    t.notOk('format' in speech || 'audio' in speech, 'no encoded fields');
  }
});

t.test('emphasis lengthens the chosen phonemes and keeps the others', async (t) => {
  // espeak-ng's timings vary by a fraction of a millisecond from run to run, hence the tolerances.
  const plain = await synthesize(TEXT, { format: 'opus' });
  const emphasized = await synthesize(TEXT, { format: 'opus', emphasize: ['θ'] });
  t.equal(emphasized.phones.length, plain.phones.length);
  let added = 0;
  plain.phones.forEach((phone, i) => {
    const after = emphasized.phones[i] as TimedPhone;
    const expected = phone.ipa === 'θ' ? 1.6 * duration(phone) : duration(phone);
    added += expected - duration(phone);
    t.ok(Math.abs(duration(after) - expected) < 2, `${phone.ipa}: ${duration(after)} ms, expected ${expected}`);
  });
  t.ok(Math.abs(emphasized.durationMs - plain.durationMs - added) < 4, 'the audio grew by what the phones gained');
  const decoded = await decodeAudio(emphasized.audio);
  t.ok(Math.abs(decoded.durationMs - emphasized.durationMs) <= 20, 'the emphasized file decodes to its duration');

  const pcm = await synthesize(TEXT, { emphasize: ['/θ/', 'ɪ'] });
  t.equal(pcm.sampleRate, SAMPLE_RATE, 'emphasis works for PCM too');
  const theta = pcm.phones.find((p) => p.ipa === 'θ') as TimedPhone;
  const plainTheta = plain.phones.find((p) => p.ipa === 'θ') as TimedPhone;
  t.ok(Math.abs(duration(theta) - 1.6 * duration(plainTheta)) < 2, '"/θ/" names θ');
});

t.test('a voice by its identifier', async (t) => {
  const rp = await synthesize('bath', { voice: 'gmw/en-GB-x-rp', format: 'mp3' });
  t.ok(
    rp.phones.some((p) => p.ipa === 'ɑː'),
    'Received Pronunciation says the long a',
  );
  t.notOk(
    (await synthesize('bath', { language: 'en-us' })).phones.some((p) => p.ipa === 'ɑː'),
    'General American does not',
  );
});

t.test('bad requests reject with a code', async (t) => {
  await rejectsWith(t, synthesize(TEXT, { emphasize: ['ʒ'] }), 'PHONEME_NOT_IN_TEXT');
  await rejectsWith(t, synthesize(TEXT, { format: 'mp3', emphasize: ['θ', 'oʊ'] }), 'PHONEME_NOT_IN_TEXT');
  await rejectsWith(t, synthesize(TEXT, { emphasize: [''] }), 'INVALID_ARGUMENT');
  await rejectsWith(t, synthesize(TEXT, { emphasize: 'θ' as unknown as string[] }), 'INVALID_ARGUMENT');
  await rejectsWith(t, synthesize(TEXT, { emphasize: [42] as unknown as string[] }), 'INVALID_ARGUMENT');
  await rejectsWith(t, synthesize(TEXT, { format: 'ogg' as 'opus' }), 'INVALID_ARGUMENT');
  await rejectsWith(t, synthesize(TEXT, { voice: 'gmw/no-such-voice' }), 'VOICE_UNSUPPORTED');
  await rejectsWith(t, synthesize(TEXT, { voice: '../../../etc/passwd', format: 'wav' }), 'VOICE_UNSUPPORTED');
  await rejectsWith(t, synthesize('', { format: 'opus' }), 'TEXT_EMPTY');
  const error = await synthesize(TEXT, { emphasize: ['ʒ'] }).catch((e: unknown) => e);
  t.ok(error instanceof NativeEngineError && /ʒ.*θ/.test(error.message), 'the message lists what the text has');
});

t.test('the version names what makes the audio', async (t) => {
  t.match(synthesisVersion(), /^espeak-ng \d+\.\d+.*libavcodec \d+\.\d+/);
});

t.test('encoding does not block the event loop', async (t) => {
  await assertEventLoopFree(
    t,
    () => Promise.all([synthesize(TEXT, { format: 'opus', emphasize: ['θ'] }), synthesize(TEXT, { format: 'mp3' })]),
    'synthesis + emphasis + encoding',
  );
});
