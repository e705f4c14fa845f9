import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import app from '../app.ts';
import type { Config } from '../config.ts';
import { loggerOptions } from '../logger.ts';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A client's x-request-id is kept when it is a sane token, so a trace can cross our boundary. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

export interface ServerOverrides {
  /** A logger of the caller's, e.g. one that tests read back. */
  logger?: FastifyBaseLogger;
  /** Routes registered after the app, inside it, as tests need. */
  routes?: (fastify: FastifyInstance) => void;
}

export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<FastifyInstance> {
  const fastify = Fastify({
    ...(overrides.logger ? { loggerInstance: overrides.logger } : { logger: loggerOptions(config.logLevel) }),
    genReqId: requestId,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // The embedded database compiles its WebAssembly and migrates on start: give a busy machine time for that.
    pluginTimeout: 60_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await fastify.register(app, { config });
  if (overrides.routes) await fastify.register(async (scope) => overrides.routes?.(scope));
  return fastify as unknown as FastifyInstance;
}
