import type { CacheScope } from '../config.ts';

/**
 * A small shared cache of JSON values. Each entry belongs to a scope whose TTL comes from configuration (spec 8.1:
 * sessions 15 min, lessons 1 h, progress 5 min, audio 24 h, API responses 1 min; analyses 1 h). A TTL of 0 turns a
 * scope's caching off.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(scope: CacheScope, key: string, value: unknown): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Counts an event in a fixed window that starts at its first hit; returns the count so far. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /** Returns the cached value or computes, stores and returns it. */
  wrap<T>(scope: CacheScope, key: string, compute: () => Promise<T>): Promise<T>;
}

export abstract class BaseCache implements Cache {
  protected readonly ttlSeconds: Record<CacheScope, number>;

  constructor(ttlSeconds: Record<CacheScope, number>) {
    this.ttlSeconds = ttlSeconds;
  }

  abstract get<T>(key: string): Promise<T | undefined>;
  abstract set(scope: CacheScope, key: string, value: unknown): Promise<void>;
  abstract delete(...keys: string[]): Promise<void>;
  abstract hit(key: string, windowSeconds: number): Promise<number>;

  async wrap<T>(scope: CacheScope, key: string, compute: () => Promise<T>): Promise<T> {
    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;
    const value = await compute();
    await this.set(scope, key, value);
    return value;
  }
}
