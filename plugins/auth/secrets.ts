import { createHash, randomBytes } from 'node:crypto';

/** An opaque token for the client and the digest we store: a stolen database yields no usable token. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: digest(token) };
}

export function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
