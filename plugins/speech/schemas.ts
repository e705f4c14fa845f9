import Type from 'typebox';

const Ms = (description: string) =>
  Type.Number({ description: `${description}, in ms from the start of the recording` });

export const AnalysisResponse = Type.Object({
  accuracy: Type.Number({ minimum: 0, maximum: 100, description: 'Mean of the phoneme scores', examples: [82] }),
  completeness: Type.Number({ minimum: 0, maximum: 100, description: 'Share of the expected phonemes that were said' }),
  feedback: Type.String({ examples: ['Good work: 3 of 4 sounds were clear. Now focus on /θ/ in "think".'] }),
  phonemeScores: Type.Array(
    Type.Object({
      phoneme: Type.String({ description: 'ARPAbet', examples: ['TH'] }),
      ipa: Type.String({ examples: ['θ'] }),
      accuracy: Type.Number({ minimum: 0, maximum: 100 }),
      position: Type.Integer({ description: 'Index among the target’s phonemes' }),
      duration: Type.Number({ description: 'ms' }),
      startMs: Ms('Start'),
      endMs: Ms('End'),
      word: Type.Integer({ description: 'Index of the word' }),
      saidAs: Type.Union([Type.String(), Type.Null()], {
        description: 'The phoneme heard instead (ARPAbet) when the phoneme scored low, else null',
      }),
    }),
  ),
  words: Type.Array(
    Type.Object({ text: Type.String(), accuracy: Type.Number(), startMs: Ms('Start'), endMs: Ms('End') }),
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
  attemptId: Type.String({ format: 'uuid', description: 'The word attempt this analysis was recorded as' }),
  audioUrl: Type.String({ description: 'Signed URL of your recording (stored in the background, ready shortly)' }),
});
