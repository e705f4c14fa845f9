import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import Type from 'typebox';
import { AppError, notFound } from '../errors.ts';
import { errorResponses } from '../http/error-envelope.ts';
import { LocalStorage } from '../storage/local-storage.ts';
import { S3Storage } from '../storage/s3-storage.ts';
import type { Storage } from '../storage/storage.ts';

declare module 'fastify' {
  interface FastifyInstance {
    storage: Storage;
  }
}

async function storage(fastify: FastifyInstance) {
  const { storage: settings, publicUrl, secrets } = fastify.config;
  if (settings.driver === 's3') {
    const s3 = new S3Storage(settings);
    fastify.decorate('storage', s3);
    fastify.addHook('onClose', () => s3.client.destroy());
    return;
  }
  const local = new LocalStorage({
    root: settings.dir,
    publicUrl,
    secret: secrets.signing,
    ttlSeconds: settings.urlTtlSeconds,
  });
  await local.ping();
  fastify.decorate('storage', local);
  registerFileRoute(fastify, local);
}

/** Serves local objects by the signed URLs LocalStorage makes, as S3 would serve a presigned URL. */
function registerFileRoute(fastify: FastifyInstance, local: LocalStorage) {
  fastify.get(
    '/files/*',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ expires: Type.Integer(), signature: Type.String({ maxLength: 128 }) }),
        response: errorResponses(400, 403, 404),
      },
    },
    async (request, reply) => {
      const key = (request.params as { '*': string })['*'];
      const { expires, signature } = request.query as { expires: number; signature: string };
      if (!local.verify(key, expires, signature)) {
        throw new AppError(403, 'INVALID_SIGNATURE', 'This link is invalid or has expired');
      }
      const object = await local.get(key).catch(() => null);
      if (!object) throw notFound('File');
      return reply
        .header('content-type', object.contentType)
        .header('content-length', object.size)
        .header('cache-control', 'private, max-age=300')
        .send(object.body);
    },
  );
}

export default fp(storage, { name: 'storage', dependencies: ['errors', 'rate-limit'] });
