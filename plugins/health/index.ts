import type { FastifyInstance } from 'fastify';
import Type from 'typebox';

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
});

const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    checks: Type.Record(Type.String(), Check),
  },
  { description: 'Each dependency the API needs to serve requests, with how long it took to answer' },
);

async function timed(probe: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await probe();
    return { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'unavailable' as const,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    };
  }
}

/** Liveness says the process can answer; readiness says its database, Redis and storage answer too. */
export default async function health(fastify: FastifyInstance) {
  fastify.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok'), uptimeSeconds: Type.Number() }) },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  fastify.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: every dependency answers',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const probes: Record<string, () => Promise<unknown>> = {
        database: () => fastify.orm.em.getConnection().execute('select 1'),
        storage: () => fastify.storage.ping(),
      };
      const redis = fastify.redis;
      if (redis) probes.redis = () => redis.ping();
      const names = Object.keys(probes);
      const results = await Promise.all(names.map((name) => timed(probes[name] as () => Promise<unknown>)));
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
      const ready = results.every((result) => result?.status === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
    },
  );
}
