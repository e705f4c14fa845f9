import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

async function security(fastify: FastifyInstance) {
  await fastify.register(helmet, {
    // Swagger UI at /docs sets its own CSP; the API itself only returns JSON and media.
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  const { origins } = fastify.config.cors;
  await fastify.register(cors, {
    // No list configured: any origin in development, none in production.
    origin: origins.length > 0 ? origins : fastify.config.env !== 'production',
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'],
    maxAge: 600,
  });
}

export default fp(security, { name: 'security' });
