import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { User, UserPreferences } from '../../src/entities/index.ts';
import { AUDIO_QUALITIES, DIFFICULTY_PREFERENCES } from '../../src/entities/user-preferences.ts';
import { AppError } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { oneOf } from '../../src/http/schema-helpers.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { checkPassword } from '../auth/passwords.ts';
import { Language, Password } from '../auth/schemas.ts';
import { AVATAR_MAX_BYTES, avatarKey, normalizeAvatar } from './avatar.ts';
import { defineStorageJobs, deleteObject, eraseObjects, userPrefix } from './erasure.ts';
import { exportUserData } from './export.ts';
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

const Preferences = Type.Object({
  dailyGoalMinutes: Type.Integer({ minimum: 1, maximum: 240, description: 'Practice goal per day' }),
  reminderEnabled: Type.Boolean(),
  reminderTime: Type.Union([Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', examples: ['19:30'] }), Type.Null()]),
  difficultyPreference: oneOf(DIFFICULTY_PREFERENCES),
  audioQuality: oneOf(AUDIO_QUALITIES),
});
const PreferencesUpdate = Type.Partial(Preferences, { additionalProperties: false, minProperties: 1 });
const DeleteAccountBody = Type.Object(
  { password: Type.Optional(Password) },
  { additionalProperties: false, description: 'Accounts with a password confirm with it' },
);

export default async function users(fastify: FastifyInstance) {
  const tags = ['users'];
  const security = bearerAuth;
  fastify.addHook('onRequest', fastify.authenticate);
  defineStorageJobs(fastify);

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

  registerAccountRoutes(fastify, tags);
}

function registerAccountRoutes(fastify: FastifyInstance, tags: string[]) {
  const security = bearerAuth;
  fastify.post(
    '/upload-avatar',
    {
      schema: {
        tags,
        security,
        summary: `Upload a profile picture (multipart, one image file, at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB)`,
        description: 'JPEG, PNG, WebP, GIF, HEIF or AVIF; stored as a 512×512 WebP without metadata.',
        consumes: ['multipart/form-data'],
        response: { 200: UserView, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      const image = await normalizeAvatar(await request.file({ limits: { fileSize: AVATAR_MAX_BYTES } }));
      const user = await request.em.findOneOrFail(User, request.user.sub);
      const previous = user.avatar;
      const key = avatarKey(user.id);
      await fastify.storage.put(key, image, 'image/webp');
      user.avatar = key;
      try {
        await request.em.flush();
      } catch (error) {
        await deleteObject(fastify, key);
        throw error;
      }
      if (previous) await deleteObject(fastify, previous);
      return toUserView(fastify, user);
    },
  );

  fastify.get(
    '/export',
    {
      schema: {
        tags,
        security,
        summary: 'Download everything we hold about me (JSON)',
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const data = await exportUserData(fastify, request.em, request.user.sub);
      return reply
        .header('content-disposition', `attachment; filename="speakai-export-${request.user.sub}.json"`)
        .send(data);
    },
  );

  fastify.delete(
    '/account',
    {
      schema: {
        tags,
        security,
        summary: 'Delete my account and everything stored about me, for good',
        body: Type.Optional(DeleteAccountBody),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { password } = (request.body ?? {}) as Static<typeof DeleteAccountBody>;
      const user = await request.em.findOneOrFail(User, request.user.sub);
      const { argon2 } = fastify.config.auth;
      if (user.passwordHash && !(password && (await checkPassword(user.passwordHash, password, argon2)))) {
        throw new AppError(401, 'INVALID_CREDENTIALS', 'Confirm with your current password to delete the account');
      }
      // Rows first, in one statement the foreign keys cascade; then the objects, retried by a job if storage fails.
      await request.em.nativeDelete(User, { id: user.id });
      await fastify.forgetAccount(user.id);
      await eraseObjects(fastify, userPrefix(user.id));
      return reply.code(204).send();
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
