import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertKey, type Storage, type StoredObject } from './storage.ts';

const META_SUFFIX = '.meta.json';

/**
 * Objects as files under one directory, with the content type beside each in a small JSON file. URLs point at this
 * server's /files route and carry an expiry and an HMAC, like a presigned S3 URL.
 */
export class LocalStorage implements Storage {
  readonly backend = 'local';
  private readonly root: string;
  private readonly publicUrl: string;
  private readonly secret: string;
  private readonly ttlSeconds: number;

  constructor(options: { root: string; publicUrl: string; secret: string; ttlSeconds: number }) {
    this.root = options.root;
    this.publicUrl = options.publicUrl;
    this.secret = options.secret;
    this.ttlSeconds = options.ttlSeconds;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees half a file and a crash leaves none.
    const partial = `${path}.${randomUUID()}.partial`;
    await writeFile(partial, body);
    await writeFile(path + META_SUFFIX, JSON.stringify({ contentType }));
    await rename(partial, path);
  }

  async get(key: string): Promise<StoredObject | null> {
    const path = this.path(key);
    try {
      const [info, meta] = await Promise.all([stat(path), readFile(path + META_SUFFIX, 'utf8')]);
      const { contentType } = JSON.parse(meta) as { contentType: string };
      return { body: createReadStream(path), contentType, size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await Promise.all([rm(path, { force: true }), rm(path + META_SUFFIX, { force: true })]);
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    await Promise.all(keys.map((key) => this.delete(key)));
    return keys.length;
  }

  async url(key: string): Promise<string> {
    const expires = Math.floor(Date.now() / 1000) + this.ttlSeconds;
    return `${this.publicUrl}/files/${assertKey(key)}?expires=${expires}&signature=${this.sign(key, expires)}`;
  }

  /** Checks a URL this storage made: right key, not expired, untouched. */
  verify(key: string, expires: number, signature: string): boolean {
    if (!Number.isInteger(expires) || expires < Date.now() / 1000) return false;
    const expected = Buffer.from(this.sign(key, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${key}\n${expires}`).digest('base64url');
  }

  private path(key: string): string {
    return join(this.root, assertKey(key));
  }

  private async list(prefix: string): Promise<string[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith(META_SUFFIX) && !entry.name.endsWith('.partial'))
      .map((entry) => join(entry.parentPath, entry.name).slice(this.root.length + 1))
      .filter((key) => key.startsWith(prefix));
  }
}
