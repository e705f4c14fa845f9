import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Uploads (recordings, avatars): one file per request, bounded, so a client mistake is a 413 and not a full disk. */
async function uploads(fastify: FastifyInstance) {
  await fastify.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: fastify.config.uploadLimitBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
  });
}

export default fp(uploads, { name: 'multipart' });
