import { RequestContext } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Orm, openOrm } from '../db/orm.ts';

declare module 'fastify' {
  interface FastifyInstance {
    orm: Orm;
  }
  interface FastifyRequest {
    /** The entity manager of this request's own unit of work. */
    em: SqlEntityManager;
  }
}

async function db(fastify: FastifyInstance) {
  const { database } = fastify.config;
  const log = fastify.log.child({ component: 'database' });
  const orm = await openOrm(database, (message) => log.info(message));
  fastify.addHook('onClose', async () => {
    await fastify.handlersDrained();
    await orm.close();
  });
  if (database.migrateOnStart) {
    const applied = await orm.migrator.up();
    if (applied.length) fastify.log.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
  }
  fastify.decorate('orm', orm);
  fastify.decorateRequest('em', {
    getter: () => {
      const em = RequestContext.getEntityManager() as SqlEntityManager | undefined;
      if (!em) throw new Error('request.em used outside a request context');
      return em;
    },
  });
  // Each request gets a fork of the entity manager, so identity maps never leak between requests.
  fastify.addHook('onRequest', (_request, _reply, done) => {
    RequestContext.create(orm.em, done);
  });
}

export default fp(db, { name: 'db', dependencies: ['in-flight'] });
