import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitScope } from '../config.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Route-level limits by the spec's scopes: `config: { rateLimit: fastify.rateLimitFor('auth') }`. */
    rateLimitFor(scope: RateLimitScope): { max: number; timeWindow: number };
  }
}

async function limits(fastify: FastifyInstance) {
  const { rateLimit: settings, redis } = fastify.config;
  fastify.decorate('rateLimitFor', (scope: RateLimitScope) => ({
    max: settings.rules[scope].max,
    timeWindow: settings.rules[scope].windowMs,
  }));
  if (!settings.enabled) return;
  await fastify.register(rateLimit, {
    global: true,
    max: settings.rules.general.max,
    timeWindow: settings.rules.general.windowMs,
    redis: fastify.redis ?? undefined,
    nameSpace: `${redis?.prefix ?? 'speakai'}:rate-limit:`,
    // Health probes come from the orchestrator every few seconds and must never be refused.
    allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'RATE_LIMITED',
        `Too many requests: at most ${context.max} per ${context.after}. Try again in ${Math.ceil(context.ttl / 1000)} s.`,
        { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
}

export default fp(limits, { name: 'rate-limit', dependencies: ['redis'] });
