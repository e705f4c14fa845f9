import type { Redis } from 'ioredis';
import type { CacheScope } from '../config.ts';
import { BaseCache } from './cache.ts';

export class RedisCache extends BaseCache {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string, ttlSeconds: Record<CacheScope, number>) {
    super(ttlSeconds);
    this.redis = redis;
    this.prefix = `${prefix}:cache:`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = await this.redis.get(this.prefix + key);
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async set(scope: CacheScope, key: string, value: unknown): Promise<void> {
    if (this.ttlSeconds[scope] === 0) return;
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', this.ttlSeconds[scope]);
  }

  async hit(key: string, windowSeconds: number): Promise<number> {
    const [[, count]] = (await this.redis
      .multi()
      .incr(this.prefix + key)
      .expire(this.prefix + key, windowSeconds, 'NX')
      .exec()) as [[null, number]];
    return count;
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((key) => this.prefix + key));
  }
}
