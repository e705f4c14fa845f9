import { Migration } from '@mikro-orm/migrations';

export class Migration20261125024600 extends Migration {

  override name = 'Migration20261125024600';

  override up(): void | Promise<void> {
    this.addSql(`create table "achievements" ("id" uuid not null, "code" varchar(64) not null, "title" varchar(200) not null, "description" text not null, "type" text not null, "criteria" jsonb not null, "icon" varchar(255) null, primary key ("id"));`);
    this.addSql(`alter table "achievements" add constraint "achievements_code_unique" unique ("code");`);

    this.addSql(`create table "lessons" ("id" uuid not null, "title" varchar(200) not null, "description" text not null, "language" varchar(16) not null, "level" text not null, "duration" int not null, "thumbnail" varchar(255) null, "rating" double precision not null default 0, "student_count" int not null default 0, "is_published" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "lessons_language_level_is_published_index" on "lessons" ("language", "level", "is_published");`);

    this.addSql(`create table "lesson_categories" ("id" uuid not null, "slug" varchar(64) not null, "name" varchar(100) not null, "description" text null, primary key ("id"));`);
    this.addSql(`alter table "lesson_categories" add constraint "lesson_categories_slug_unique" unique ("slug");`);

    this.addSql(`create table "lesson_category_links" ("lesson_id" uuid not null, "lesson_category_id" uuid not null, primary key ("lesson_id", "lesson_category_id"));`);

    this.addSql(`create table "lesson_words" ("id" uuid not null, "lesson_id" uuid not null, "word" varchar(200) not null, "phonetic" varchar(200) not null, "difficulty" varchar(32) not null, "tips" text null, "audio_url" varchar(255) null, "order" int not null, primary key ("id"));`);
    this.addSql(`alter table "lesson_words" add constraint "lesson_words_lesson_id_order_unique" unique ("lesson_id", "order");`);

    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(254) not null, "password_hash" varchar(255) null, "first_name" varchar(100) null, "last_name" varchar(100) null, "avatar" varchar(255) null, "native_language" varchar(16) not null, "learning_language" varchar(16) not null, "is_email_verified" boolean not null default false, "role" text not null default 'user', "status" text not null default 'active', "mfa_secret" varchar(255) null, "mfa_enabled" boolean not null default false, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_status_index" on "users" ("status");`);
    this.addSql(`create index "users_created_at_index" on "users" ("created_at");`);

    this.addSql(`create table "subscriptions" ("id" uuid not null, "user_id" uuid not null, "plan" text not null, "status" text not null, "start_date" timestamptz not null, "end_date" timestamptz null, "stripe_customer_id" varchar(255) null, "stripe_subscription_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "subscriptions_stripe_customer_id_index" on "subscriptions" ("stripe_customer_id");`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_stripe_subscription_id_unique" unique ("stripe_subscription_id");`);
    this.addSql(`create index "subscriptions_user_id_status_index" on "subscriptions" ("user_id", "status");`);

    this.addSql(`create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "rotated_at" timestamptz null, "revoked_at" timestamptz null, "user_agent" varchar(512) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "practice_sessions" ("id" uuid not null, "user_id" uuid not null, "lesson_id" uuid null, "duration" int not null, "accuracy" double precision not null, "words_count" int not null, "completed_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "practice_sessions_lesson_id_index" on "practice_sessions" ("lesson_id");`);
    this.addSql(`create index "practice_sessions_user_id_completed_at_index" on "practice_sessions" ("user_id", "completed_at");`);

    this.addSql(`create table "one_time_tokens" ("id" uuid not null, "user_id" uuid not null, "purpose" text not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "one_time_tokens" add constraint "one_time_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "one_time_tokens_user_id_purpose_index" on "one_time_tokens" ("user_id", "purpose");`);

    this.addSql(`create table "oauth_identities" ("id" uuid not null, "user_id" uuid not null, "provider" varchar(32) not null, "subject" varchar(255) not null, "email" varchar(254) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "oauth_identities_user_id_index" on "oauth_identities" ("user_id");`);
    this.addSql(`alter table "oauth_identities" add constraint "oauth_identities_provider_subject_unique" unique ("provider", "subject");`);

    this.addSql(`create table "lesson_progress" ("id" uuid not null, "user_id" uuid not null, "lesson_id" uuid not null, "progress" double precision not null default 0, "completed" boolean not null default false, "last_accuracy" double precision null, "started_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "lesson_progress_lesson_id_index" on "lesson_progress" ("lesson_id");`);
    this.addSql(`alter table "lesson_progress" add constraint "lesson_progress_user_id_lesson_id_unique" unique ("user_id", "lesson_id");`);

    this.addSql(`create table "user_achievements" ("id" uuid not null, "user_id" uuid not null, "achievement_id" uuid not null, "earned_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "user_achievements_achievement_id_index" on "user_achievements" ("achievement_id");`);
    this.addSql(`alter table "user_achievements" add constraint "user_achievements_user_id_achievement_id_unique" unique ("user_id", "achievement_id");`);

    this.addSql(`create table "user_preferences" ("id" uuid not null, "user_id" uuid not null, "daily_goal_minutes" int not null default 15, "reminder_enabled" boolean not null default true, "reminder_time" varchar(5) null, "difficulty_preference" text not null default 'adaptive', "audio_quality" text not null default 'high', primary key ("id"));`);
    this.addSql(`alter table "user_preferences" add constraint "user_preferences_user_id_unique" unique ("user_id");`);

    this.addSql(`create table "word_attempts" ("id" uuid not null, "session_id" uuid not null, "word" varchar(200) not null, "accuracy" double precision not null, "attempts" int not null default 1, "completed" boolean not null default false, "audio_url" varchar(255) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "word_attempts_session_id_index" on "word_attempts" ("session_id");`);

    this.addSql(`alter table "achievements" add constraint "achievements_type_check" check ("type" in ('streak', 'accuracy', 'time', 'milestone'));`);

    this.addSql(`alter table "lessons" add constraint "lessons_level_check" check ("level" in ('BEGINNER', 'INTERMEDIATE', 'ADVANCED'));`);

    this.addSql(`alter table "lesson_category_links" add constraint "lesson_category_links_lesson_id_foreign" foreign key ("lesson_id") references "lessons" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "lesson_category_links" add constraint "lesson_category_links_lesson_category_id_foreign" foreign key ("lesson_category_id") references "lesson_categories" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lesson_words" add constraint "lesson_words_lesson_id_foreign" foreign key ("lesson_id") references "lessons" ("id") on delete cascade;`);

    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('user', 'admin'));`);
    this.addSql(`alter table "users" add constraint "users_status_check" check ("status" in ('active', 'suspended'));`);

    this.addSql(`alter table "subscriptions" add constraint "subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_plan_check" check ("plan" in ('free', 'premium', 'pro'));`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_status_check" check ("status" in ('active', 'cancelled', 'expired', 'past_due'));`);

    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "practice_sessions" add constraint "practice_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "practice_sessions" add constraint "practice_sessions_lesson_id_foreign" foreign key ("lesson_id") references "lessons" ("id") on delete set null;`);

    this.addSql(`alter table "one_time_tokens" add constraint "one_time_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "one_time_tokens" add constraint "one_time_tokens_purpose_check" check ("purpose" in ('verify-email', 'reset-password'));`);

    this.addSql(`alter table "oauth_identities" add constraint "oauth_identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "lesson_progress" add constraint "lesson_progress_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "lesson_progress" add constraint "lesson_progress_lesson_id_foreign" foreign key ("lesson_id") references "lessons" ("id") on delete cascade;`);

    this.addSql(`alter table "user_achievements" add constraint "user_achievements_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "user_achievements" add constraint "user_achievements_achievement_id_foreign" foreign key ("achievement_id") references "achievements" ("id") on delete cascade;`);

    this.addSql(`alter table "user_preferences" add constraint "user_preferences_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "user_preferences" add constraint "user_preferences_difficulty_preference_check" check ("difficulty_preference" in ('adaptive', 'easy', 'medium', 'hard'));`);
    this.addSql(`alter table "user_preferences" add constraint "user_preferences_audio_quality_check" check ("audio_quality" in ('low', 'medium', 'high'));`);

    this.addSql(`alter table "word_attempts" add constraint "word_attempts_session_id_foreign" foreign key ("session_id") references "practice_sessions" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "user_achievements" drop constraint "user_achievements_achievement_id_foreign";`);
    this.addSql(`alter table "lesson_category_links" drop constraint "lesson_category_links_lesson_id_foreign";`);
    this.addSql(`alter table "lesson_words" drop constraint "lesson_words_lesson_id_foreign";`);
    this.addSql(`alter table "practice_sessions" drop constraint "practice_sessions_lesson_id_foreign";`);
    this.addSql(`alter table "lesson_progress" drop constraint "lesson_progress_lesson_id_foreign";`);
    this.addSql(`alter table "lesson_category_links" drop constraint "lesson_category_links_lesson_category_id_foreign";`);
    this.addSql(`alter table "subscriptions" drop constraint "subscriptions_user_id_foreign";`);
    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_user_id_foreign";`);
    this.addSql(`alter table "practice_sessions" drop constraint "practice_sessions_user_id_foreign";`);
    this.addSql(`alter table "one_time_tokens" drop constraint "one_time_tokens_user_id_foreign";`);
    this.addSql(`alter table "oauth_identities" drop constraint "oauth_identities_user_id_foreign";`);
    this.addSql(`alter table "lesson_progress" drop constraint "lesson_progress_user_id_foreign";`);
    this.addSql(`alter table "user_achievements" drop constraint "user_achievements_user_id_foreign";`);
    this.addSql(`alter table "user_preferences" drop constraint "user_preferences_user_id_foreign";`);
    this.addSql(`alter table "word_attempts" drop constraint "word_attempts_session_id_foreign";`);

    this.addSql(`drop table if exists "achievements" cascade;`);
    this.addSql(`drop table if exists "lessons" cascade;`);
    this.addSql(`drop table if exists "lesson_categories" cascade;`);
    this.addSql(`drop table if exists "lesson_category_links" cascade;`);
    this.addSql(`drop table if exists "lesson_words" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "subscriptions" cascade;`);
    this.addSql(`drop table if exists "refresh_tokens" cascade;`);
    this.addSql(`drop table if exists "practice_sessions" cascade;`);
    this.addSql(`drop table if exists "one_time_tokens" cascade;`);
    this.addSql(`drop table if exists "oauth_identities" cascade;`);
    this.addSql(`drop table if exists "lesson_progress" cascade;`);
    this.addSql(`drop table if exists "user_achievements" cascade;`);
    this.addSql(`drop table if exists "user_preferences" cascade;`);
    this.addSql(`drop table if exists "word_attempts" cascade;`);
  }

}
