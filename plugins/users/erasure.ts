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

export async function eraseObjects(fastify: FastifyInstance, prefix: string): Promise<void> {
  try {
    await fastify.storage.deletePrefix(prefix);
  } catch (err) {
    fastify.log.warn({ err, prefix }, 'erasing stored objects failed; queued for retry');
    await fastify.jobs.enqueue(ERASE_OBJECTS_JOB, { prefix });
  }
}

export async function deleteObject(fastify: FastifyInstance, key: string): Promise<void> {
  try {
    await fastify.storage.delete(key);
  } catch (err) {
    fastify.log.warn({ err, key }, 'deleting a stored object failed; queued for retry');
    await fastify.jobs.enqueue(DELETE_OBJECT_JOB, { key });
  }
}
