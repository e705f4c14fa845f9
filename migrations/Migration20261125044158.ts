import { Migration } from '@mikro-orm/migrations';

export class Migration20261125044158 extends Migration {

  override name = 'Migration20261125044158';

  override up(): void | Promise<void> {
    // Attempts so far all belong to a session: their owner is the session's user.
    this.addSql(`alter table "word_attempts" add "user_id" uuid null, add "details" jsonb null;`);
    this.addSql(`update "word_attempts" set "user_id" = s."user_id" from "practice_sessions" s where s."id" = "word_attempts"."session_id";`);
    this.addSql(`alter table "word_attempts" alter column "user_id" set not null;`);
    this.addSql(`alter table "word_attempts" add constraint "word_attempts_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "word_attempts" alter column "session_id" drop not null;`);
    this.addSql(`create index "word_attempts_user_id_created_at_index" on "word_attempts" ("user_id", "created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "word_attempts" drop constraint "word_attempts_user_id_foreign";`);

    this.addSql(`drop index "word_attempts_user_id_created_at_index";`);
    this.addSql(`alter table "word_attempts" drop column "user_id", drop column "details";`);
    this.addSql(`alter table "word_attempts" alter column "session_id" set not null;`);
  }

}
