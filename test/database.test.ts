import t from 'tap';
import { loadConfig } from '../src/config.ts';
import { openOrm } from '../src/db/orm.ts';
import { PracticeSession, User, UserPreferences, WordAttempt } from '../src/entities/index.ts';
import { DATABASES, testEnv } from './helpers/app.ts';

for (const database of DATABASES) {
  t.test(`${database}: migrations build the whole schema from empty`, async (t) => {
    const config = loadConfig(await testEnv(t, { database }));
    const orm = await openOrm(config.database, () => {});
    t.teardown(() => orm.close());

    const applied = await orm.migrator.up();
    t.ok(applied.length >= 1, 'the migrations apply');
    t.same(await orm.migrator.getPending(), [], 'none is left pending');
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    t.equal(diff.trim(), '', 'the migrated schema is exactly what the entities describe');

    const em = orm.em.fork();
    const user = em.create(User, { email: 'ana@example.com', nativeLanguage: 'es', learningLanguage: 'en' });
    em.create(UserPreferences, { user });
    const session = em.create(PracticeSession, { user, duration: 60, accuracy: 82.5, wordsCount: 3 });
    em.create(WordAttempt, { user, session, word: 'think', accuracy: 71 });
    await em.flush();

    const loaded = await orm.em.fork().findOneOrFail(UserPreferences, { user: user.id });
    t.equal(loaded.dailyGoalMinutes, 15, 'preferences get the spec defaults');
    t.equal(loaded.difficultyPreference, 'adaptive');
    t.equal(loaded.audioQuality, 'high');

    const duplicate = orm.em.fork();
    duplicate.create(User, { email: 'ana@example.com', nativeLanguage: 'fr', learningLanguage: 'en' });
    await t.rejects(duplicate.flush(), { name: 'UniqueConstraintViolationException' }, 'emails are unique');

    await orm.em.fork().nativeDelete(User, { id: user.id });
    const check = orm.em.fork();
    t.equal(await check.count(UserPreferences, {}), 0, 'deleting a user deletes their preferences');
    t.equal(await check.count(PracticeSession, {}), 0, '…their sessions');
    t.equal(await check.count(WordAttempt, {}), 0, '…and their attempts');

    await orm.migrator.down({ to: 0 });
    t.same(
      (await orm.migrator.getExecuted()).map((m) => m.name),
      [],
      'and every migration can be rolled back',
    );
  });
}
