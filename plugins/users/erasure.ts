import type { FastifyInstance } from 'fastify';

export const ERASE_OBJECTS_JOB = 'storage.erase-prefix';
export const DELETE_OBJECT_JOB = 'storage.delete';

/** Everything a user owns in storage lives under this prefix (avatars, recordings). */
export const userPrefix = (userId: string) => `users/${userId}/`;

/**
 * Object deletions that must happen even when storage is briefly unreachable: tried at once, and handed to the job
 * queue (with its retries) when that fails, so a row deleted in the database never leaves its objects behind.
 */
export function defineStorageJobs(fastify: FastifyInstance) {
  fastify.jobs.define<{ prefix: string }>(ERASE_OBJECTS_JOB, async ({ prefix }, { log }) => {
    log.info({ deleted: await fastify.storage.deletePrefix(prefix) }, 'erased stored objects');
  });
  fastify.jobs.define<{ key: string }>(DELETE_OBJECT_JOB, async ({ key }) => {
    await fastify.storage.delete(key);
  });
}

export const eraseObjects = (fastify: FastifyInstance, prefix: string) =>
  attemptOrQueue(fastify, ERASE_OBJECTS_JOB, { prefix }, () => fastify.storage.deletePrefix(prefix));

export const deleteObject = (fastify: FastifyInstance, key: string) =>
  attemptOrQueue(fastify, DELETE_OBJECT_JOB, { key }, () => fastify.storage.delete(key));

async function attemptOrQueue(fastify: FastifyInstance, job: string, data: object, attempt: () => Promise<unknown>) {
  try {
    await attempt();
  } catch (err) {
    fastify.log.warn({ err, job, ...data }, 'storage operation failed; queued for retry');
    await fastify.jobs.enqueue(job, data);
  }
}
