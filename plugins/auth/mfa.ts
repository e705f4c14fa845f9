import { randomBytes } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { MfaRecoveryCode, User } from '../../src/entities/index.ts';
import { AppError, conflict } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { checkPassword } from './passwords.ts';
import { MfaCode, Password } from './schemas.ts';
import { SecretBox } from './secret-box.ts';
import { digest } from './secrets.ts';
import { base32Encode, matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';

const RECOVERY_CODES = 10;

const CodeBody = Type.Object({ code: MfaCode }, { additionalProperties: false });
const DisableBody = Type.Object({ code: MfaCode, password: Type.Optional(Password) }, { additionalProperties: false });

const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z2-7]/g, '');

function newRecoveryCode(): string {
  const raw = base32Encode(randomBytes(7)).toLowerCase().slice(0, 10);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Time-based one-time passwords as an optional second factor (spec 7.1), with recovery codes. */
export class SecondFactor {
  private readonly box: SecretBox;

  constructor(signingSecret: string) {
    this.box = new SecretBox(signingSecret, 'mfa-totp');
  }

  /** Checks a TOTP code (then remembers its step) or spends a recovery code. Flushes nothing. */
  async verify(em: SqlEntityManager, user: User, code: string): Promise<boolean> {
    if (!user.mfaSecret) return false;
    const step = matchTotp(this.box.open(user.mfaSecret), code, Date.now(), user.mfaLastStep ?? null);
    if (step !== null) {
      user.mfaLastStep = step;
      return true;
    }
    const spent = await em.nativeUpdate(
      MfaRecoveryCode,
      { user, codeHash: digest(normalizeRecoveryCode(code)), usedAt: null },
      { usedAt: new Date() },
    );
    return spent === 1;
  }

  register(fastify: FastifyInstance) {
    const tags = ['auth'];
    const security = bearerAuth;
    const invalidCode = () => new AppError(401, 'INVALID_MFA_CODE', 'The code is wrong or has expired');

    fastify.post(
      '/mfa/setup',
      {
        onRequest: fastify.authenticate,
        schema: {
          tags,
          security,
          summary: 'Start enrolling an authenticator app: returns the key to scan',
          response: {
            200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String({ description: 'Show as a QR code' }) }),
            ...errorResponses(401, 409),
          },
        },
      },
      async (request) => {
        const user = await request.em.findOneOrFail(User, request.user.sub);
        if (user.mfaEnabled) throw conflict('Two-factor sign-in is already on; turn it off first to change the app');
        const secret = newTotpSecret();
        user.mfaSecret = this.box.seal(secret);
        user.mfaLastStep = null;
        await request.em.flush();
        return { secret, otpauthUrl: otpauthUrl(secret, user.email) };
      },
    );

    fastify.post(
      '/mfa/enable',
      {
        onRequest: fastify.authenticate,
        schema: {
          tags,
          security,
          summary: 'Finish enrolling with a first code; returns recovery codes, shown only this once',
          body: CodeBody,
          response: {
            200: Type.Object({ recoveryCodes: Type.Array(Type.String(), { minItems: RECOVERY_CODES }) }),
            ...errorResponses(400, 401, 409),
          },
        },
      },
      async (request) => {
        const user = await request.em.findOneOrFail(User, request.user.sub);
        if (user.mfaEnabled) throw conflict('Two-factor sign-in is already on');
        if (!user.mfaSecret) throw conflict('Call /auth/mfa/setup first');
        const { code } = request.body as Static<typeof CodeBody>;
        if (!(await this.verify(request.em, user, code))) throw invalidCode();
        user.mfaEnabled = true;
        const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
        await request.em.nativeDelete(MfaRecoveryCode, { user });
        for (const recovery of recoveryCodes) {
          request.em.create(MfaRecoveryCode, { user, codeHash: digest(normalizeRecoveryCode(recovery)) });
        }
        await request.em.flush();
        return { recoveryCodes };
      },
    );

    fastify.post(
      '/mfa/disable',
      {
        onRequest: fastify.authenticate,
        schema: {
          tags,
          security,
          summary: 'Turn two-factor sign-in off (a current code and, if the account has one, the password)',
          body: DisableBody,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 409) },
        },
      },
      async (request, reply) => {
        const user = await request.em.findOneOrFail(User, request.user.sub);
        if (!user.mfaEnabled) throw conflict('Two-factor sign-in is not on');
        const { code, password } = request.body as Static<typeof DisableBody>;
        const { argon2 } = fastify.config.auth;
        if (user.passwordHash && !(password && (await checkPassword(user.passwordHash, password, argon2)))) {
          throw new AppError(401, 'INVALID_CREDENTIALS', 'Confirm with your current password');
        }
        if (!(await this.verify(request.em, user, code))) throw invalidCode();
        user.mfaEnabled = false;
        user.mfaSecret = null;
        await request.em.nativeDelete(MfaRecoveryCode, { user });
        await request.em.flush();
        return reply.code(204).send();
      },
    );
  }
}
