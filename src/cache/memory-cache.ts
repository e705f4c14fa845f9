import { LRUCache } from 'lru-cache';
import type { CacheScope } from '../config.ts';
import { BaseCache } from './cache.ts';

/** The embedded default: one process, bounded by entry count, values kept as JSON text like Redis would. */
export class MemoryCache extends BaseCache {
  private readonly entries: LRUCache<string, string>;

  constructor(ttlSeconds: Record<CacheScope, number>, maxEntries: number) {
    super(ttlSeconds);
    this.entries = new LRUCache({ max: maxEntries, ttlAutopurge: false });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.entries.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async set(scope: CacheScope, key: string, value: unknown): Promise<void> {
    if (this.ttlSeconds[scope] === 0) return;
    this.entries.set(key, JSON.stringify(value), { ttl: this.ttlSeconds[scope] * 1000 });
  }

  async hit(key: string, windowSeconds: number): Promise<number> {
    const count = Number(this.entries.get(key) ?? 0) + 1;
    // The window keeps the TTL of the first hit: the LRU keeps an entry's TTL when told not to reset it.
    this.entries.set(key, String(count), count === 1 ? { ttl: windowSeconds * 1000 } : { noUpdateTTL: true });
    return count;
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
}
