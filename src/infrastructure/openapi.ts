import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const API_TAGS = [
  { name: 'health', description: 'Liveness and readiness' },
  { name: 'auth', description: 'Registration, sign-in, tokens' },
  { name: 'users', description: 'Profiles, preferences, avatars, account' },
  { name: 'lessons', description: 'Lessons, words, categories' },
  { name: 'speech', description: 'Pronunciation analysis and reference audio' },
  { name: 'progress', description: 'Sessions, streaks, statistics' },
  { name: 'analytics', description: 'Reports and events' },
  { name: 'achievements', description: 'Badges and milestones' },
  { name: 'billing', description: 'Subscriptions' },
  { name: 'admin', description: 'Administration' },
];

/** OpenAPI 3 from the routes' TypeBox schemas: the document at /docs/json, Swagger UI at /docs. */
async function openapi(fastify: FastifyInstance) {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'SpeakAI API',
        version: '0.1.0',
        description:
          "Pronunciation training: phoneme-level analysis of a learner's recording, reference audio, lessons and progress. Every error has the shape `{ error: { code, message, details?, timestamp, requestId } }`.",
      },
      servers: [{ url: fastify.config.publicUrl }],
      tags: API_TAGS,
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    refResolver: {
      // Shared schemas keep their $id as their component name (ErrorEnvelope, not def-0).
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}`,
    },
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}

// After rate-limit: routes registered before it would escape the limits.
export default fp(openapi, { name: 'openapi', dependencies: ['errors', 'rate-limit'] });
