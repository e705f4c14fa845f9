import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Readable;
  contentType: string;
  size: number;
}

/**
 * Where audio and avatars live: an S3 bucket in production, a directory in the embedded default. Keys are paths such
 * as `users/<id>/avatar.webp`; everything a user owns sits under `users/<id>/` so it can be erased in one call.
 */
export interface Storage {
  readonly backend: 's3' | 'local';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with the prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** A URL the client can fetch the object from until it expires. */
  url(key: string): Promise<string>;
  /** Throws when the back end cannot be reached. */
  ping(): Promise<void>;
}

const SAFE_KEY = /^(?!\/)(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._\-/]{1,512}$/;

export function assertKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.endsWith('/')) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  return key;
}
