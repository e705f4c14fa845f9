import Type from 'typebox';

export const SPEEDS = { min: 0.5, max: 2 };

/**
 * The multipart form, for the OpenAPI document: the handler reads and checks the parts itself (a multipart body is
 * not parsed into `request.body`), so this schema documents and does not validate.
 */
export const CompareForm = Type.Object(
  {
    audioFile: Type.String({
      format: 'binary',
      description: 'Your recording: WebM/Opus, MP4/AAC, Ogg, MP3, FLAC or WAV; at most 10 MB and 30 s',
    }),
    targetWord: Type.String({
      maxLength: 200,
      description: 'The word or sentence both recordings say',
      examples: ['think'],
    }),
    language: Type.Optional(
      Type.String({ description: 'Any language POST /speech/analyze scores; default `en`', examples: ['en', 'es'] }),
    ),
    phonetic: Type.Optional(
      Type.String({
        maxLength: 400,
        description: 'The expected pronunciation in IPA, one transcription per word; default: espeak-ng’s',
        examples: ['/θɪŋk/'],
      }),
    ),
    referenceFile: Type.Optional(
      Type.String({
        format: 'binary',
        description:
          'A native speaker’s recording of the same target, same formats and limits; without it the reference is synthesized by espeak-ng',
      }),
    ),
    voice: Type.Optional(
      Type.String({
        description:
          'The synthesized reference’s voice: one of the language’s `voices[].id` of GET /speech/supported-languages; default: the voice of its phoneme guide (`gmw/en-US` for English), else its first. Not with referenceFile',
        examples: ['gmw/en-US'],
      }),
    ),
    speed: Type.Optional(
      Type.Number({
        minimum: SPEEDS.min,
        maximum: SPEEDS.max,
        description:
          'The synthesized reference’s speed: 1 is natural (175 words a minute); default 1. Not with referenceFile',
        examples: [0.8],
      }),
    ),
  },
  { additionalProperties: false },
);

const Ms = (what: string) => Type.Number({ description: `${what}, in ms from the start of that recording` });
const Percent = (description: string, example: number) =>
  Type.Number({ minimum: 0, maximum: 100, description, examples: [example] });
const Timed = (who: string) =>
  Type.Object(
    {
      startMs: Ms('Start'),
      endMs: Ms('End'),
      score: Percent(`How well ${who} said it, 0-100 (the same score POST /speech/analyze gives)`, 96),
    },
    { description: `Where it is in ${who}` },
  );
const VERDICTS = ['good', 'too-short', 'too-long', 'different-sound'];
const DurationRatio = Type.Number({
  minimum: 0,
  description:
    'Its share of your speaking time over its share of the reference’s: 1 the same, 2 twice as long for your tempo (tempo alone does not change it)',
  examples: [1.08],
});
const ScoreGap = Type.Number({
  description: 'Your score minus the reference’s: below 0, yours scored lower',
  examples: [-4.5],
});
const Performance = (who: string, more = {}) =>
  Type.Object(
    {
      ...more,
      durationMs: Type.Number({ description: 'Length of the recording', examples: [812] }),
      accuracy: Percent(`How accurately ${who.toLowerCase()} pronounced the target`, 91.5),
      phonesPerSecond: Type.Number({ description: 'Articulation rate, pauses excluded', examples: [11.2] }),
      wordsPerMinute: Type.Number({ description: 'Words over the speaking time', examples: [140] }),
      pauseCount: Type.Integer({ description: 'Silences of at least 250 ms between words', examples: [0] }),
      pauseMs: Type.Number({ description: 'Their total length', examples: [0] }),
    },
    { description: `${who} on their own` },
  );

export const CompareResponse = Type.Object({
  similarity: Percent('How close your recording is to the reference: 0.7 sound + 0.2 rhythm + 0.1 pace', 88.4),
  parts: Type.Object(
    {
      sound: Percent(
        'How alike the sounds are: each phoneme’s similarity earns nothing up to 40 and full credit from 90 (linear between), and nothing when its verdict is different-sound; averaged',
        92.1,
      ),
      rhythm: Percent(
        'How alike the phonemes’ lengths are for your tempo: 100 when every durationRatio is within 0.8-1.25',
        85,
      ),
      pace: Percent(
        'Speaking rate and pauses: 100 from 2/3 to 1.5 times the reference’s rate, less beyond and for extra pauses',
        100,
      ),
    },
    { description: 'What the similarity is made of' },
  ),
  tempo: Type.Object(
    {
      ratio: Type.Number({ description: 'Your phonemes per second over the reference’s', examples: [0.72] }),
      verdict: Type.Enum(['slower', 'similar', 'faster']),
    },
    { description: 'Your speaking rate against the reference’s (similar: within 0.8-1.25 times)' },
  ),
  summary: Type.String({
    description: 'One or two sentences for the learner',
    examples: ['Close to the reference: /θ/ in "think" sounded different.'],
  }),
  phones: Type.Array(
    Type.Object({
      phoneme: Type.String({ description: 'ARPAbet', examples: ['TH'] }),
      ipa: Type.String({ description: 'The same phoneme in IPA', examples: ['θ'] }),
      position: Type.Integer({ description: 'Index among the target’s phonemes', examples: [0] }),
      word: Type.Integer({ description: 'Index of its word in `words`', examples: [0] }),
      learner: Timed('you'),
      reference: Timed('the reference'),
      similarity: Percent(
        'How alike the two sounds are: how much of what the acoustic model heard in yours it heard in the reference’s',
        94,
      ),
      durationRatio: DurationRatio,
      scoreGap: ScoreGap,
      verdict: Type.Enum(VERDICTS, {
        description:
          'different-sound: scored 10+ lower and heard as another sound (similarity below 50, or its most likely phone another one, twice as likely as the reference’s); too-long / too-short: durationRatio beyond 1.5 (1/1.5) and 50 ms or more off; else good',
      }),
    }),
    { description: 'Each phoneme of the target in order, in both recordings: two timelines to draw side by side' },
  ),
  words: Type.Array(
    Type.Object({
      text: Type.String({ description: 'The word as written in the target', examples: ['think'] }),
      position: Type.Integer({ description: 'Index among the target’s words', examples: [0] }),
      learner: Timed('you'),
      reference: Timed('the reference'),
      similarity: Percent('Its phonemes’ similarity, averaged', 90),
      durationRatio: DurationRatio,
      scoreGap: ScoreGap,
      verdict: Type.Enum(VERDICTS, {
        description: 'The verdict of its first flagged phoneme, a different sound first',
      }),
    }),
  ),
  learner: Performance('You'),
  reference: Performance('The reference', {
    source: Type.Enum(['uploaded', 'synthesized'], {
      description: 'uploaded: your referenceFile; synthesized: espeak-ng said the target',
    }),
    voice: Type.Union([Type.String(), Type.Null()], {
      description: 'The espeak-ng voice of a synthesized reference; null for an uploaded one',
      examples: ['gmw/en-US'],
    }),
  }),
});
