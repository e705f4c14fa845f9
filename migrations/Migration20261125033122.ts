import { Migration } from '@mikro-orm/migrations';

export class Migration20261125033122 extends Migration {

  override name = 'Migration20261125033122';

  override up(): void | Promise<void> {
    this.addSql(`create table "mfa_recovery_codes" ("id" uuid not null, "user_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "mfa_recovery_codes_user_id_index" on "mfa_recovery_codes" ("user_id");`);
    this.addSql(`alter table "mfa_recovery_codes" add constraint "mfa_recovery_codes_code_hash_unique" unique ("code_hash");`);

    this.addSql(`alter table "users" add "mfa_last_step" int null;`);

    this.addSql(`alter table "mfa_recovery_codes" add constraint "mfa_recovery_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "mfa_recovery_codes" cascade;`);

    this.addSql(`alter table "users" drop column "mfa_last_step";`);
  }

}
