import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { User, UserPreferences } from '../../src/entities/index.ts';
import { AUDIO_QUALITIES, DIFFICULTY_PREFERENCES } from '../../src/entities/user-preferences.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { Language } from '../auth/schemas.ts';
import { toUserView, UserView } from './user-view.ts';

export const autoPrefix = '/users';

const Name = Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]);
const ProfileUpdate = Type.Object(
  {
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
    nativeLanguage: Type.Optional(Language),
    learningLanguage: Type.Optional(Language),
  },
  { additionalProperties: false, minProperties: 1 },
);

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((value) => Type.Literal(value)));
const Preferences = Type.Object({
  dailyGoalMinutes: Type.Integer({ minimum: 1, maximum: 240, description: 'Practice goal per day' }),
  reminderEnabled: Type.Boolean(),
  reminderTime: Type.Union([Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', examples: ['19:30'] }), Type.Null()]),
  difficultyPreference: literals(DIFFICULTY_PREFERENCES),
  audioQuality: literals(AUDIO_QUALITIES),
});
const PreferencesUpdate = Type.Partial(Preferences, { additionalProperties: false, minProperties: 1 });

export default async function users(fastify: FastifyInstance) {
  const tags = ['users'];
  const security = [{ bearerAuth: [] }];
  fastify.addHook('onRequest', fastify.authenticate);

  fastify.get(
    '/profile',
    { schema: { tags, security, summary: 'My profile', response: { 200: UserView, ...errorResponses(401, 403) } } },
    async (request) => toUserView(fastify, await request.em.findOneOrFail(User, request.user.sub)),
  );

  fastify.put(
    '/profile',
    {
      schema: {
        tags,
        security,
        summary: 'Change my name or languages (send only what changes; null clears a name)',
        body: ProfileUpdate,
        response: { 200: UserView, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.em.findOneOrFail(User, request.user.sub);
      request.em.assign(user, request.body as Static<typeof ProfileUpdate>);
      await request.em.flush();
      return toUserView(fastify, user);
    },
  );

  fastify.get(
    '/preferences',
    {
      schema: {
        tags,
        security,
        summary: 'My practice preferences',
        response: { 200: Preferences, ...errorResponses(401, 403) },
      },
    },
    async (request) => preferencesOf(request.em, request.user.sub),
  );

  fastify.put(
    '/preferences',
    {
      schema: {
        tags,
        security,
        summary: 'Change my practice preferences (send only what changes)',
        body: PreferencesUpdate,
        response: { 200: Preferences, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const preferences = await preferencesOf(request.em, request.user.sub);
      request.em.assign(preferences, request.body as Static<typeof PreferencesUpdate>);
      await request.em.flush();
      return preferences;
    },
  );
}

/** Every account gets its preferences at registration; one created another way gets the defaults on first use. */
async function preferencesOf(em: import('@mikro-orm/postgresql').SqlEntityManager, userId: string) {
  const found = await em.findOne(UserPreferences, { user: userId });
  if (found) return found;
  const created = em.create(UserPreferences, { user: userId });
  await em.flush();
  return created;
}
