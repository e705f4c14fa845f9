import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BullMqQueue } from '../jobs/bullmq-queue.ts';
import { InProcessQueue } from '../jobs/in-process-queue.ts';
import type { JobQueue } from '../jobs/queue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
  }
}

async function jobs(fastify: FastifyInstance) {
  const { jobs: settings, redis } = fastify.config;
  const policy = { attempts: settings.attempts, backoffMs: settings.backoffMs };
  const log = fastify.log.child({ component: 'jobs' });
  const queue: JobQueue =
    fastify.redis && redis
      ? new BullMqQueue({
          connection: fastify.redis,
          url: redis.url,
          prefix: redis.prefix,
          log,
          concurrency: settings.concurrency,
          policy,
        })
      : new InProcessQueue(log, settings.concurrency, policy);
  fastify.decorate('jobs', queue);
  // Domain plugins define their jobs while they load; workers start once every definition is in.
  if (settings.runWorkers) fastify.addHook('onReady', () => queue.startWorkers());
  // Handlers still running may enqueue jobs: the queue closes after them, and runs what they queued.
  fastify.addHook('onClose', async () => {
    await fastify.handlersDrained();
    await queue.close();
  });
}

export default fp(jobs, { name: 'jobs', dependencies: ['redis', 'in-flight'] });
