import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Cache } from '../cache/cache.ts';
import { MemoryCache } from '../cache/memory-cache.ts';
import { RedisCache } from '../cache/redis-cache.ts';

declare module 'fastify' {
  interface FastifyInstance {
    cache: Cache;
  }
}

async function cache(fastify: FastifyInstance) {
  const { cache: settings, redis } = fastify.config;
  fastify.decorate<Cache>(
    'cache',
    fastify.redis && redis
      ? new RedisCache(fastify.redis, redis.prefix, settings.ttlSeconds)
      : new MemoryCache(settings.ttlSeconds, settings.maxEntries),
  );
}

export default fp(cache, { name: 'cache', dependencies: ['redis'] });
