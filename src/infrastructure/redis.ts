import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** Present only when REDIS_URL is configured; every consumer has an in-process fallback. */
    redis: Redis | null;
  }
}

/** Clients for blocking commands (BullMQ workers) must not retry forever or their requests would pile up. */
export function createRedis(url: string, options: { forBlocking?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.forBlocking ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}

async function redis(fastify: FastifyInstance) {
  const settings = fastify.config.redis;
  if (!settings) {
    fastify.decorate('redis', null);
    return;
  }
  const client = createRedis(settings.url);
  client.on('error', (err) => fastify.log.warn({ err }, 'redis connection error'));
  await client.ping();
  fastify.decorate('redis', client);
  fastify.addHook('onClose', async () => {
    await client.quit();
  });
}

export default fp(redis, { name: 'redis' });
