import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { User, UserPreferences } from '../../src/entities/index.ts';
import { AppError, conflict, unauthorized } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { toUserView } from '../users/user-view.ts';
import { passwordResetEmail, verificationEmail } from './emails.ts';
import { SecondFactor } from './mfa.ts';
import { registerOAuth } from './oauth.ts';
import { consumeOneTimeToken, createOneTimeToken } from './one-time-tokens.ts';
import { assertAcceptablePassword, checkPassword, hashPassword } from './passwords.ts';
import {
  Accepted,
  ChangePasswordBody,
  EmailBody,
  LoginBody,
  LogoutBody,
  RefreshBody,
  RegisterBody,
  ResetPasswordBody,
  Session,
  TokenBody,
  Tokens,
  UserResponse,
} from './schemas.ts';
import { Sessions } from './sessions.ts';

export const autoPrefix = '/auth';

const HOUR_MS = 60 * 60 * 1000;
const normalizeEmail = (email: string) => email.trim().toLowerCase();

export default async function auth(fastify: FastifyInstance) {
  const { auth: settings, appUrl } = fastify.config;
  const sessions = new Sessions(fastify);
  const secondFactor = new SecondFactor(fastify.config.secrets.signing);
  secondFactor.register(fastify);
  await registerOAuth(fastify, sessions);
  const credentials = { rateLimit: fastify.rateLimitFor('auth') };
  const tags = ['auth'];

  async function sendVerification(request: FastifyRequest, user: User) {
    const token = await createOneTimeToken(
      request.em,
      user,
      'verify-email',
      settings.emailVerificationTtlHours * HOUR_MS,
    );
    await request.em.flush();
    const url = `${appUrl}/verify-email?token=${token}`;
    await fastify.mail.send(
      verificationEmail({ to: user.email, name: user.firstName ?? null, url }, settings.emailVerificationTtlHours),
    );
  }

  async function session(request: FastifyRequest, user: User) {
    const pair = sessions.start(request.em, user, request.headers['user-agent']);
    await request.em.flush();
    return { user: await toUserView(fastify, user), ...pair };
  }

  fastify.post(
    '/register',
    {
      config: credentials,
      schema: {
        tags,
        summary: 'Create an account; a confirmation email is sent',
        body: RegisterBody,
        response: { 201: Session, ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof RegisterBody>;
      const email = normalizeEmail(body.email);
      assertAcceptablePassword(body.password, email);
      const em = request.em;
      if (await em.count(User, { email }))
        throw conflict('An account with this email already exists', { field: 'email' });
      const user = em.create(User, {
        email,
        passwordHash: await hashPassword(body.password, settings.argon2),
        firstName: body.firstName,
        lastName: body.lastName,
        nativeLanguage: body.nativeLanguage,
        learningLanguage: body.learningLanguage,
      });
      em.create(UserPreferences, { user });
      const created = await session(request, user);
      await sendVerification(request, user);
      return reply.code(201).send(created);
    },
  );

  fastify.post(
    '/login',
    {
      config: credentials,
      schema: {
        tags,
        summary: 'Sign in with email and password',
        body: LoginBody,
        response: { 200: Session, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof LoginBody>;
      const email = normalizeEmail(body.email);
      await throttleFailures(fastify, email);
      const user = await request.em.findOne(User, { email });
      if (!(await checkPassword(user?.passwordHash, body.password, settings.argon2)) || !user) {
        await countFailure(fastify, email);
        throw unauthorized('The email or the password is wrong', 'INVALID_CREDENTIALS');
      }
      if (user.status === 'suspended') throw new AppError(403, 'ACCOUNT_SUSPENDED', 'This account is suspended');
      if (user.mfaEnabled) {
        if (!body.mfaCode) {
          throw new AppError(401, 'MFA_REQUIRED', 'Enter the code of your authenticator app', { mfa: 'totp' });
        }
        if (!(await secondFactor.verify(request.em, user, body.mfaCode))) {
          await countFailure(fastify, email);
          throw new AppError(401, 'INVALID_MFA_CODE', 'The code is wrong or has expired');
        }
      }
      user.lastLoginAt = new Date();
      return session(request, user);
    },
  );

  fastify.post(
    '/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair (the old one is spent)',
        body: RefreshBody,
        response: { 200: Tokens, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { refreshToken } = request.body as Static<typeof RefreshBody>;
      const { user, ...pair } = await sessions.refresh(request.em, refreshToken, request.headers['user-agent']);
      if (user.status === 'suspended') throw new AppError(403, 'ACCOUNT_SUSPENDED', 'This account is suspended');
      return pair;
    },
  );

  fastify.post(
    '/logout',
    {
      onRequest: fastify.authenticate,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Sign out this session (with its refresh token) or every session',
        body: Type.Optional(LogoutBody),
        response: { 204: Type.Null(), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Static<typeof LogoutBody>;
      if (body.everywhere) await sessions.endAll(request.em, request.user.sub);
      else if (body.refreshToken) await sessions.end(request.em, request.user.sub, body.refreshToken);
      return reply.code(204).send();
    },
  );

  fastify.get(
    '/me',
    {
      onRequest: fastify.authenticate,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'The signed-in user',
        response: { 200: UserResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ user: await toUserView(fastify, await request.em.findOneOrFail(User, request.user.sub)) }),
  );

  fastify.post(
    '/verify-email',
    {
      config: credentials,
      schema: {
        tags,
        summary: 'Confirm the email address with the token from the confirmation email',
        body: TokenBody,
        response: { 200: UserResponse, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const { token } = request.body as Static<typeof TokenBody>;
      const user = await consumeOneTimeToken(request.em, token, 'verify-email');
      user.isEmailVerified = true;
      await request.em.flush();
      return { user: await toUserView(fastify, user) };
    },
  );

  fastify.post(
    '/resend-verification',
    {
      config: credentials,
      onRequest: fastify.authenticate,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Send the confirmation email again (the previous link stops working)',
        response: { 202: Accepted, ...errorResponses(401, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await request.em.findOneOrFail(User, request.user.sub);
      if (user.isEmailVerified) throw conflict('This email address is already confirmed');
      await sendVerification(request, user);
      return reply.code(202).send({ message: 'A new confirmation email is on its way' });
    },
  );

  fastify.post(
    '/forgot-password',
    {
      config: credentials,
      schema: {
        tags,
        summary: 'Email a password-reset link; the answer is the same whether or not the account exists',
        body: EmailBody,
        response: { 202: Accepted, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const email = normalizeEmail((request.body as Static<typeof EmailBody>).email);
      const user = await request.em.findOne(User, { email, status: 'active' });
      if (user) {
        const ttlMs = settings.passwordResetTtlMinutes * 60 * 1000;
        const token = await createOneTimeToken(request.em, user, 'reset-password', ttlMs);
        await request.em.flush();
        const url = `${appUrl}/reset-password?token=${token}`;
        await fastify.mail.send(
          passwordResetEmail({ to: user.email, name: user.firstName ?? null, url }, settings.passwordResetTtlMinutes),
        );
      }
      return reply.code(202).send({ message: 'If an account uses this email, a reset link is on its way' });
    },
  );

  fastify.post(
    '/reset-password',
    {
      config: credentials,
      schema: {
        tags,
        summary: 'Choose a new password with the token from the reset email; every session is signed out',
        body: ResetPasswordBody,
        response: { 200: Accepted, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof ResetPasswordBody>;
      const user = await consumeOneTimeToken(request.em, body.token, 'reset-password', (owner) =>
        assertAcceptablePassword(body.password, owner.email),
      );
      user.passwordHash = await hashPassword(body.password, settings.argon2);
      // The link came through the mailbox, which proves the address too.
      user.isEmailVerified = true;
      await sessions.endAll(request.em, user.id);
      await request.em.flush();
      return { message: 'Your password has been changed; sign in with it' };
    },
  );

  fastify.put(
    '/change-password',
    {
      config: credentials,
      onRequest: fastify.authenticate,
      schema: {
        tags,
        security: bearerAuth,
        summary: 'Change the password; every other session is signed out',
        body: ChangePasswordBody,
        response: { 200: Tokens, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof ChangePasswordBody>;
      const user = await request.em.findOneOrFail(User, request.user.sub);
      if (!(await checkPassword(user.passwordHash, body.currentPassword, settings.argon2))) {
        throw unauthorized('The current password is wrong', 'INVALID_CREDENTIALS');
      }
      assertAcceptablePassword(body.newPassword, user.email);
      user.passwordHash = await hashPassword(body.newPassword, settings.argon2);
      await sessions.endAll(request.em, user.id);
      const pair = sessions.start(request.em, user, request.headers['user-agent']);
      await request.em.flush();
      return pair;
    },
  );
}

const failuresKey = (email: string) => `login-failures:${email}`;

function countFailure(fastify: FastifyInstance, email: string) {
  return fastify.cache.hit(failuresKey(email), fastify.config.rateLimit.rules.auth.windowMs / 1000);
}

/** Per account, whatever the client's address: guessing one account's password from many addresses is slowed too. */
async function throttleFailures(fastify: FastifyInstance, email: string) {
  const failures = (await fastify.cache.get<number | string>(failuresKey(email))) ?? 0;
  const { max, windowMs } = fastify.config.rateLimit.rules.auth;
  if (Number(failures) >= max) {
    throw new AppError(429, 'TOO_MANY_ATTEMPTS', 'Too many failed sign-ins for this account; try again in a minute', {
      retryAfterSeconds: Math.ceil(windowMs / 1000),
    });
  }
}
