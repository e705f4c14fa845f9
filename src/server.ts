import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import closeWithGrace from 'close-with-grace';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import app from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { loggerOptions } from './logger.ts';

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
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await fastify.register(app, { config });
  if (overrides.routes) await fastify.register(async (scope) => overrides.routes?.(scope));
  return fastify as unknown as FastifyInstance;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const server = await createServer(config);
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'shutting down after an unexpected error');
    else server.log.info({ signal }, 'shutting down: draining in-flight requests');
    await server.close();
  });
  await server.listen({ host: config.host, port: config.port });
}

if (import.meta.main) await main();
