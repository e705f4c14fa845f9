import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PgliteDriver } from '@mikro-orm/pglite';
import { type AbstractSqlDriver, PostgreSqlDriver, type SqlEntityManager } from '@mikro-orm/postgresql';
import type { DatabaseConfig } from '../config.ts';
import { entities } from '../entities/index.ts';

type Options = NonNullable<Parameters<typeof MikroORM.init>[0]>;
/** Both drivers are SQL drivers of the PostgreSQL family; code sees only that. */
export type Orm = MikroORM<AbstractSqlDriver, SqlEntityManager>;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** One set of entities and migrations for both drivers: PGlite speaks the PostgreSQL dialect. */
export function ormOptions(database: DatabaseConfig, log: (message: string) => void = console.log): Options {
  const common: Options = {
    entities,
    logger: log,
    colors: false,
    extensions: [Migrator],
    debug: database.debug,
    allowGlobalContext: false,
    migrations: {
      path: MIGRATIONS_DIR,
      glob: '!(*.d).ts',
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
    },
  };
  if (database.driver === 'postgresql') {
    return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, pool: { max: database.poolMax } };
  }
  if (!database.dataDir.startsWith('memory:')) mkdirSync(database.dataDir, { recursive: true });
  return { ...common, driver: PgliteDriver, dbName: database.dataDir };
}

export async function openOrm(database: DatabaseConfig, log?: (message: string) => void): Promise<Orm> {
  return (await MikroORM.init(ormOptions(database, log))) as unknown as Orm;
}
