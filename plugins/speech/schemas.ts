import Type from 'typebox';

const Ms = (description: string) =>
  Type.Number({ description: `${description}, in ms from the start of the recording` });

const Score = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], {
    description: `${description}, 0-100; null when the scoring model cannot judge it (see scoredBy)`,
  });

export const AnalysisResponse = Type.Object({
  language: Type.String({
    description:
      'The language the recording was scored in: `en`, or the variety the multilingual model pronounced the target in (e.g. `es-mx` for `es-MX`)',
    examples: ['en', 'es'],
  }),
  accuracy: Type.Number({
    minimum: 0,
    maximum: 100,
    description: 'How accurately the sounds were pronounced, 0-100',
    examples: [82],
  }),
  completeness: Type.Number({ minimum: 0, maximum: 100, description: 'How much of the target was said, 0-100' }),
  total: Score('Overall pronunciation score (accuracy, fluency and prosody together)'),
  scoredBy: Type.Enum(['learned', 'gop'], {
    description:
      'Which scorer scored. learned: the scoring model trained on expert ratings of real English learners (all scores; English). gop: the goodness of pronunciation of each phone, calibrated on English learners: accuracy and completeness only, so total, fluency.score, fluency.prosody and the words’ stress and total are null. Spanish, French, German, Italian and Portuguese have no learned scorer (no expert ratings exist for them) and are always scored by gop, by a model trained on synthetic speech only: GET /speech/supported-languages says how far it has been measured',
    examples: ['learned', 'gop'],
  }),
  fluency: Type.Object(
    {
      score: Score('Fluency as an expert would rate it'),
      prosody: Score('Intonation, rhythm and stress as an expert would rate it'),
      wordsPerMinute: Type.Number({ description: 'Words over the speaking time (first sound to last)' }),
      phonesPerSecond: Type.Number({ description: 'Articulation rate: sounds per second, pauses excluded' }),
      pauseCount: Type.Integer({ description: 'Silences of at least 250 ms between words' }),
      longestPauseMs: Type.Number(),
      pauses: Type.Array(Type.Object({ startMs: Ms('Start'), endMs: Ms('End') })),
    },
    { description: 'How smoothly it was said' },
  ),
  feedback: Type.String({ examples: ['Good work: 3 of 4 sounds were clear. Now focus on /θ/ in "think".'] }),
  phonemeScores: Type.Array(
    Type.Object({
      phoneme: Type.String({
        description:
          'The model’s name of the phone: ARPAbet in English, the multilingual inventory’s IPA symbol in the other languages (the `symbol` of GET /speech/phonemes/:language)',
        examples: ['TH', 'ɾ'],
      }),
      ipa: Type.String({ examples: ['θ'] }),
      accuracy: Type.Number({ minimum: 0, maximum: 100 }),
      position: Type.Integer({ description: 'Index among the target’s phonemes' }),
      duration: Type.Number({ description: 'ms' }),
      startMs: Ms('Start'),
      endMs: Ms('End'),
      word: Type.Integer({ description: 'Index of the word' }),
      saidAs: Type.Union([Type.String(), Type.Null()], {
        description:
          'The phoneme heard instead (named as `phoneme` is) when the phoneme scored low or the phone loop heard that other phoneme, else null',
        examples: ['S', 'r'],
      }),
    }),
  ),
  words: Type.Array(
    Type.Object({
      text: Type.String(),
      accuracy: Type.Number({ minimum: 0, maximum: 100 }),
      stress: Score('Whether the word’s stress was placed right'),
      total: Score('The word overall'),
      startMs: Ms('Start'),
      endMs: Ms('End'),
    }),
  ),
  omissions: Type.Array(Type.Object({ phoneme: Type.String(), position: Type.Integer() }), {
    description: 'Expected phonemes that were not heard',
  }),
  insertions: Type.Array(Type.Object({ phoneme: Type.String(), startMs: Ms('Start'), endMs: Ms('End') }), {
    description: 'Sounds heard that the target does not have',
  }),
  suggestions: Type.Array(Type.String(), {
    description: 'One concrete tip for each of the (up to) three weakest sounds',
  }),
  durationMs: Type.Number(),
  attemptId: Type.String({
    format: 'uuid',
    description: 'The word attempt this analysis is recorded as (written with the recording, moments after the answer)',
  }),
  audioUrl: Type.String({ description: 'Signed URL of your recording (stored in the background, ready shortly)' }),
});
