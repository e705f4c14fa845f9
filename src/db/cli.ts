import { loadConfig } from '../config.ts';
import { openOrm } from './orm.ts';

/**
 * Migration commands: `up` applies pending migrations, `create` writes a migration for the difference between the
 * entities and the migrated schema, `check` fails when that difference is not empty.
 */
const command = process.argv[2];
const orm = await openOrm(loadConfig().database);
try {
  if (command === 'up') {
    const applied = await orm.migrator.up();
    console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
  } else if (command === 'create') {
    await orm.migrator.up();
    const result = await orm.migrator.create();
    console.log(result.fileName ? `created migrations/${result.fileName}` : 'no changes: nothing to create');
  } else if (command === 'check') {
    await orm.migrator.up();
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    if (diff.trim()) {
      console.error(`The entities differ from the migrated schema; run npm run db:migration:create:\n${diff}`);
      process.exitCode = 1;
    } else {
      console.log('schema matches the entities');
    }
  } else {
    console.error('usage: node src/db/cli.ts up|create|check');
    process.exitCode = 2;
  }
} finally {
  await orm.close();
}
