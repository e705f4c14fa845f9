import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { User } from '../../src/entities/index.ts';
import { AppError } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { Quality } from './analysis-languages.ts';
import { registerAnalyze } from './analyze.ts';
import { Confusion, SpeechCatalog } from './catalog.ts';
import { registerCompare } from './compare.ts';
import { ExampleAudio, exampleAudio, referenceLinks, registerGenerateAudio } from './generate-audio.ts';

export const autoPrefix = '/speech';

const Tier = Type.Enum(['analysis', 'phoneme-guide', 'synthesis'], {
  description:
    'analysis: recordings are scored phone by phone (POST /speech/analyze), with a phoneme guide and reference audio; phoneme-guide: inventory, tips and reference audio; synthesis: reference audio only',
});
const SupportedLanguages = Type.Object({
  languages: Type.Array(
    Type.Object({
      code: Type.String({ examples: ['en'] }),
      name: Type.String({ examples: ['English (General American)'] }),
      tier: Tier,
      quality: Type.Optional(Quality),
      voices: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    }),
  ),
});
const LanguageParams = Type.Object({ language: Type.String({ maxLength: 16 }) });
const PhonemeList = Type.Object({
  language: Type.String(),
  name: Type.String(),
  symbols: Type.Enum(['arpabet', 'ipa'], {
    description:
      'How `symbol` names phones, as POST /speech/analyze does: arpabet (English) or the IPA of the multilingual model (es, fr, de, it, pt)',
  }),
  phonemes: Type.Array(
    Type.Object({
      symbol: Type.String({ examples: ['TH', 'ɾ'] }),
      ipa: Type.String({ examples: ['θ'] }),
      kind: Type.String({ examples: ['consonant'] }),
      examples: Type.Array(Type.String(), { examples: [['think', 'bath', 'three']] }),
      exampleAudio: ExampleAudio,
      tip: Type.String(),
      commonConfusions: Type.Array(Confusion, {
        description: 'What speakers of your native language (from your profile) tend to say instead, and a drill',
      }),
    }),
  ),
});

/** The speech domain: analysis and comparison of recordings, phoneme guides, languages and reference audio. */
export default async function speech(fastify: FastifyInstance) {
  const catalog = await SpeechCatalog.shared();
  const { analysable } = catalog;
  const tags = ['speech'];
  const security = bearerAuth;
  fastify.addHook('onRequest', fastify.authenticate);
  await registerAnalyze(fastify, catalog, analysable);
  await registerCompare(fastify, catalog, analysable);
  await registerGenerateAudio(fastify, catalog);
  const links = referenceLinks(fastify);

  fastify.get(
    '/supported-languages',
    {
      schema: {
        tags,
        security,
        summary: 'The languages we support and how far',
        description:
          'Every language espeak-ng speaks, with its tier. An `analysis` language (English; Spanish, French, German, Italian and Portuguese on the multilingual model) carries `quality`: what its model was measured on and the figures, read from the model manifests. English was measured on real learners; the others only on espeak-ng voices the model never trained on, with no real-speech figure (`realSpeech: false`).',
        response: { 200: SupportedLanguages, ...errorResponses(401, 403) },
      },
    },
    async () => ({ languages: catalog.languages }),
  );

  fastify.get(
    '/phonemes/:language',
    {
      schema: {
        tags,
        security,
        summary: "A language's phonemes with examples and articulation tips, aware of my native language",
        description:
          'Guides exist for `en` (phonemes named in ARPAbet, as the English model names them) and `es`, `fr`, `de`, `it`, `pt` (named by the IPA symbols of the multilingual model, as POST /speech/analyze names them in `phonemeScores`); a regional tag gets its language’s guide (`es-419` → `es`). Any other language: 400 UNSUPPORTED_LANGUAGE listing the guides.',
        params: LanguageParams,
        response: { 200: PhonemeList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { language } = request.params as Static<typeof LanguageParams>;
      const guide = catalog.guideOf(language);
      if (!guide) {
        throw new AppError(400, 'UNSUPPORTED_LANGUAGE', `There is no phoneme guide for "${language}" yet`, {
          supported: [...catalog.guides.keys()].sort(),
        });
      }
      const { nativeLanguage } = await request.em.findOneOrFail(User, request.user.sub, { fields: ['nativeLanguage'] });
      return {
        ...guide,
        phonemes: guide.phonemes.map((phoneme) => ({
          ...phoneme,
          exampleAudio: exampleAudio(links, guide.language, phoneme.examples),
          commonConfusions: catalog.confusionsFor(guide.language, nativeLanguage, phoneme.symbol),
        })),
      };
    },
  );
}
