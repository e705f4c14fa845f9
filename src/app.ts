import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AutoLoad from '@fastify/autoload';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export interface AppOptions {
  config: Config;
}

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The whole service as one plugin: infrastructure first (ordered by the dependencies each plugin declares), then one
 * plugin per domain from plugins/. Tests and the worker register this same plugin.
 */
async function app(fastify: FastifyInstance, opts: AppOptions) {
  fastify.decorate('config', opts.config);
  await fastify.register(AutoLoad, { dir: join(here, 'infrastructure'), options: opts });
  await fastify.register(AutoLoad, {
    dir: join(here, '..', 'plugins'),
    options: opts,
    indexPattern: /^index\.ts$/,
    encapsulate: true,
    // Each domain names its own prefix (export const autoPrefix), so a folder can be renamed freely.
    dirNameRoutePrefix: false,
  });
}

/** Not encapsulated: the decorators, hooks and error handler it installs belong to the server that registers it. */
export default fp(app, { name: 'speakai' });
