import { hash, verify } from '@node-rs/argon2';
import type { Config } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** @node-rs/argon2's Algorithm.Argon2id: a const enum, which type stripping cannot inline. */
const ARGON2ID = 2;

type Argon2Settings = Config['auth']['argon2'];

/** argon2id with the configured cost (default: OWASP's 19 MiB, 2 passes, 1 lane); the PHC string keeps the salt. */
export function hashPassword(password: string, settings: Argon2Settings): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...settings });
}

/** Hashed once per process and checked against when an email is unknown, so that both answers take as long. */
let decoy: Promise<string> | undefined;

export async function checkPassword(
  passwordHash: string | null | undefined,
  password: string,
  settings: Argon2Settings,
): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword('decoy password for unknown accounts', settings);
    await verify(await decoy, password);
    return false;
  }
  return verify(passwordHash, password);
}

/** NIST 800-63B: length over composition rules, and no password that is known or derived from the account. */
export function assertAcceptablePassword(password: string, email: string): void {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`use at least ${PASSWORD_MIN_LENGTH} characters`);
  if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push('this password is too common');
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 4 && password.toLowerCase().includes(localPart)) {
    problems.push('do not build the password from your email address');
  }
  if (/^(.)\1+$/u.test(password)) problems.push('do not repeat one character');
  if (problems.length) {
    throw new AppError(400, 'WEAK_PASSWORD', `Choose a stronger password: ${problems.join('; ')}`, {
      field: 'password',
      problems,
    });
  }
}
