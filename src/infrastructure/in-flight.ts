import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves once no route handler is running. */
    handlersDrained(): Promise<void>;
  }
  interface FastifyRequest {
    handlerRunning?: boolean;
  }
}

/**
 * Counts route handlers, not connections. When a client hangs up mid-request, Fastify's close no longer waits for
 * that request, but its handler keeps running: the database and the job queue wait for it here before they close.
 */
async function inFlight(fastify: FastifyInstance) {
  let running = 0;
  const waiters: Array<() => void> = [];
  fastify.decorateRequest('handlerRunning', false);
  fastify.addHook('preHandler', async (request) => {
    request.handlerRunning = true;
    running++;
  });
  // onSend runs when the handler has produced its answer, even for a client that is gone.
  fastify.addHook('onSend', async (request, _reply, payload) => {
    if (request.handlerRunning) {
      request.handlerRunning = false;
      if (--running === 0) for (const resolve of waiters.splice(0)) resolve();
    }
    return payload;
  });
  fastify.decorate('handlersDrained', () =>
    running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
  );
}

export default fp(inFlight, { name: 'in-flight' });
