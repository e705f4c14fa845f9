import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

const Integer = (fallback: number, minimum = 0) => Type.Integer({ default: fallback, minimum });
const Text = (fallback: string) => Type.String({ default: fallback });
const Flag = (fallback: boolean) => Type.Boolean({ default: fallback });
const OneOf = <const T extends string[]>(values: [...T], fallback: T[number]) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { default: fallback },
  );

/**
 * Every setting the service reads from its environment. Unset means the embedded default: PGlite under DATA_DIR,
 * local files, in-process jobs, an outbox directory for mail, in-memory cache and rate-limit store.
 */
export const EnvSchema = Type.Object({
  NODE_ENV: OneOf(['development', 'production', 'test'], 'development'),
  HOST: Text('127.0.0.1'),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  LOG_LEVEL: OneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  DATA_DIR: Text('./data'),

  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  PGLITE_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_POOL_MAX: Integer(10, 1),
  DATABASE_DEBUG: Flag(false),
  DATABASE_MIGRATE_ON_START: Type.Optional(Type.Boolean()),

  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_PREFIX: Text('speakai'),

  S3_BUCKET: Type.Optional(Type.String({ minLength: 3 })),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_REGION: Text('us-east-1'),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String()),
  S3_FORCE_PATH_STYLE: Flag(false),
  STORAGE_DIR: Type.Optional(Type.String({ minLength: 1 })),
  STORAGE_URL_TTL_SECONDS: Integer(3600, 1),

  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Text('SpeakAI <no-reply@speakai.local>'),
  MAIL_OUTBOX_DIR: Type.Optional(Type.String({ minLength: 1 })),

  APP_URL: Type.Optional(Type.String({ pattern: '^https?://' })),

  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ACCESS_TOKEN_TTL_SECONDS: Integer(15 * 60, 30),
  REFRESH_TOKEN_TTL_DAYS: Integer(7, 1),
  EMAIL_VERIFICATION_TTL_HOURS: Integer(48, 1),
  PASSWORD_RESET_TTL_MINUTES: Integer(60, 5),
  ARGON2_MEMORY_KIB: Integer(19_456, 1024),
  ARGON2_TIME_COST: Integer(2, 1),
  ARGON2_PARALLELISM: Integer(1, 1),

  OAUTH_GOOGLE_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  OAUTH_GOOGLE_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  OAUTH_GOOGLE_ISSUER: Text('https://accounts.google.com'),
  OAUTH_APPLE_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  OAUTH_APPLE_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  OAUTH_APPLE_ISSUER: Text('https://appleid.apple.com'),
  SIGNING_SECRET: Type.Optional(Type.String({ minLength: 32 })),

  CORS_ORIGINS: Text(''),
  TRUST_PROXY: Text('false'),
  BODY_LIMIT_BYTES: Integer(1024 * 1024, 1024),
  UPLOAD_LIMIT_BYTES: Integer(10 * 1024 * 1024, 1024),

  RUN_WORKERS: Flag(true),
  JOB_CONCURRENCY: Integer(2, 1),
  JOB_ATTEMPTS: Integer(3, 1),
  JOB_BACKOFF_MS: Integer(1000, 0),

  CACHE_MAX_ENTRIES: Integer(10_000, 1),
  CACHE_TTL_SESSION_SECONDS: Integer(15 * 60),
  CACHE_TTL_LESSON_SECONDS: Integer(60 * 60),
  CACHE_TTL_PROGRESS_SECONDS: Integer(5 * 60),
  CACHE_TTL_AUDIO_SECONDS: Integer(24 * 60 * 60),
  CACHE_TTL_API_SECONDS: Integer(60),
  CACHE_TTL_ANALYSIS_SECONDS: Integer(60 * 60),

  RATE_LIMIT_ENABLED: Flag(true),
  RATE_LIMIT_GENERAL_MAX: Integer(1000, 1),
  RATE_LIMIT_GENERAL_WINDOW_MS: Integer(60 * 60 * 1000, 1),
  RATE_LIMIT_AUTH_MAX: Integer(5, 1),
  RATE_LIMIT_AUTH_WINDOW_MS: Integer(60 * 1000, 1),
  RATE_LIMIT_SPEECH_MAX: Integer(10, 1),
  RATE_LIMIT_SPEECH_WINDOW_MS: Integer(60 * 1000, 1),
  RATE_LIMIT_LESSONS_MAX: Integer(100, 1),
  RATE_LIMIT_LESSONS_WINDOW_MS: Integer(60 * 1000, 1),
  RATE_LIMIT_PROGRESS_MAX: Integer(50, 1),
  RATE_LIMIT_PROGRESS_WINDOW_MS: Integer(60 * 1000, 1),

  SHUTDOWN_GRACE_MS: Integer(10_000, 0),
});

export type Env = Static<typeof EnvSchema>;

export const RATE_LIMIT_SCOPES = ['general', 'auth', 'speech', 'lessons', 'progress'] as const;
export type RateLimitScope = (typeof RATE_LIMIT_SCOPES)[number];
export interface RateLimitRule {
  max: number;
  windowMs: number;
}

export const CACHE_SCOPES = ['session', 'lesson', 'progress', 'audio', 'api', 'analysis'] as const;
export type CacheScope = (typeof CACHE_SCOPES)[number];

export const OAUTH_PROVIDERS = ['google', 'apple'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The OpenID Connect issuer; its discovery document gives every endpoint. */
  issuer: string;
}

export type DatabaseConfig = { debug: boolean; migrateOnStart: boolean } & (
  | { driver: 'postgresql'; url: string; poolMax: number }
  | { driver: 'pglite'; dataDir: string }
);

export type StorageConfig =
  | {
      driver: 's3';
      bucket: string;
      endpoint?: string;
      region: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
      urlTtlSeconds: number;
    }
  | { driver: 'local'; dir: string; urlTtlSeconds: number };

export type MailConfig = { from: string } & ({ driver: 'smtp'; url: string } | { driver: 'outbox'; dir: string });

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  database: DatabaseConfig;
  redis?: { url: string; prefix: string };
  storage: StorageConfig;
  mail: MailConfig;
  /** The frontend, for links in emails. */
  appUrl: string;
  secrets: { jwt: string; signing: string };
  auth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    emailVerificationTtlHours: number;
    passwordResetTtlMinutes: number;
    argon2: { memoryCost: number; timeCost: number; parallelism: number };
    /** Only the providers whose client id and secret are configured. */
    oauth: Partial<Record<OAuthProvider, OAuthClient>>;
  };
  cors: { origins: string[] };
  trustProxy: boolean | string;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  jobs: { runWorkers: boolean; concurrency: number; attempts: number; backoffMs: number };
  cache: { maxEntries: number; ttlSeconds: Record<CacheScope, number> };
  rateLimit: { enabled: boolean; rules: Record<RateLimitScope, RateLimitRule> };
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads, checks and shapes the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return shapeConfig(parseEnv(source));
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const known = Object.keys(EnvSchema.properties);
  const present = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
  );
  const value = Value.Convert(EnvSchema, Value.Default(EnvSchema, present));
  const problems = [...Value.Errors(EnvSchema, value)]
    .filter((error) => error.keyword !== 'const')
    .map((error) => `${error.instancePath.slice(1)}: ${describe(error.message, error.params)}`);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${[...new Set(problems)].join('\n  ')}`);
  }
  return value as Env;
}

function describe(message: string, params: unknown): string {
  const pattern = (params as { pattern?: string }).pattern;
  return pattern ? `${message} (expected to match ${pattern})` : message;
}

function shapeConfig(env: Env): Config {
  const dataDir = resolve(env.DATA_DIR);
  const rule = (scope: string): RateLimitRule => {
    const key = scope.toUpperCase();
    return {
      max: env[`RATE_LIMIT_${key}_MAX` as keyof Env] as number,
      windowMs: env[`RATE_LIMIT_${key}_WINDOW_MS` as keyof Env] as number,
    };
  };
  const ttl = (scope: string) => env[`CACHE_TTL_${scope.toUpperCase()}_SECONDS` as keyof Env] as number;
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/$/, '');
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    appUrl: (env.APP_URL ?? publicUrl).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    dataDir,
    database: shapeDatabase(env, dataDir),
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : undefined,
    storage: env.S3_BUCKET
      ? {
          driver: 's3',
          bucket: env.S3_BUCKET,
          endpoint: env.S3_ENDPOINT,
          region: env.S3_REGION,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
          urlTtlSeconds: env.STORAGE_URL_TTL_SECONDS,
        }
      : {
          driver: 'local',
          dir: env.STORAGE_DIR ?? join(dataDir, 'storage'),
          urlTtlSeconds: env.STORAGE_URL_TTL_SECONDS,
        },
    mail: env.SMTP_URL
      ? { driver: 'smtp', url: env.SMTP_URL, from: env.MAIL_FROM }
      : { driver: 'outbox', dir: env.MAIL_OUTBOX_DIR ?? join(dataDir, 'outbox'), from: env.MAIL_FROM },
    secrets: resolveSecrets(env, dataDir),
    auth: {
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      emailVerificationTtlHours: env.EMAIL_VERIFICATION_TTL_HOURS,
      passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES,
      argon2: {
        memoryCost: env.ARGON2_MEMORY_KIB,
        timeCost: env.ARGON2_TIME_COST,
        parallelism: env.ARGON2_PARALLELISM,
      },
      oauth: shapeOAuth(env),
    },
    cors: {
      origins: env.CORS_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    uploadLimitBytes: env.UPLOAD_LIMIT_BYTES,
    jobs: {
      // Without Redis the jobs live in this process's memory: nobody else could run them.
      runWorkers: env.RUN_WORKERS || !env.REDIS_URL,
      concurrency: env.JOB_CONCURRENCY,
      attempts: env.JOB_ATTEMPTS,
      backoffMs: env.JOB_BACKOFF_MS,
    },
    cache: {
      maxEntries: env.CACHE_MAX_ENTRIES,
      ttlSeconds: {
        session: ttl('session'),
        lesson: ttl('lesson'),
        progress: ttl('progress'),
        audio: ttl('audio'),
        api: ttl('api'),
        analysis: ttl('analysis'),
      },
    },
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED,
      rules: {
        general: rule('general'),
        auth: rule('auth'),
        speech: rule('speech'),
        lessons: rule('lessons'),
        progress: rule('progress'),
      },
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  };
}

/** The embedded database migrates itself on start; a shared PostgreSQL is migrated by a deliberate step. */
function shapeDatabase(env: Env, dataDir: string): DatabaseConfig {
  const common = { debug: env.DATABASE_DEBUG, migrateOnStart: env.DATABASE_MIGRATE_ON_START ?? !env.DATABASE_URL };
  return env.DATABASE_URL
    ? { ...common, driver: 'postgresql', url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
    : { ...common, driver: 'pglite', dataDir: env.PGLITE_DATA_DIR ?? join(dataDir, 'pglite') };
}

function shapeOAuth(env: Env): Config['auth']['oauth'] {
  const clients: Config['auth']['oauth'] = {};
  for (const provider of OAUTH_PROVIDERS) {
    const key = provider.toUpperCase();
    const clientId = env[`OAUTH_${key}_CLIENT_ID` as keyof Env] as string | undefined;
    const clientSecret = env[`OAUTH_${key}_CLIENT_SECRET` as keyof Env] as string | undefined;
    const issuer = env[`OAUTH_${key}_ISSUER` as keyof Env] as string;
    if (clientId && clientSecret) clients[provider] = { clientId, clientSecret, issuer: issuer.replace(/\/$/, '') };
  }
  return clients;
}

function parseTrustProxy(value: string): boolean | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/**
 * Production must be given its secrets. Elsewhere they are generated once and kept under DATA_DIR, so tokens and
 * signed URLs survive a restart of a development server.
 */
function resolveSecrets(env: Env, dataDir: string): Config['secrets'] {
  if (env.JWT_SECRET && env.SIGNING_SECRET) return { jwt: env.JWT_SECRET, signing: env.SIGNING_SECRET };
  if (env.NODE_ENV === 'production') {
    const missing = ['JWT_SECRET', 'SIGNING_SECRET'].filter((key) => !env[key as keyof Env]);
    throw new ConfigError(
      `Invalid configuration:\n  ${missing.map((key) => `${key}: required in production`).join('\n  ')}`,
    );
  }
  const stored = readOrCreateSecrets(join(dataDir, 'secrets.json'));
  return { jwt: env.JWT_SECRET ?? stored.jwt, signing: env.SIGNING_SECRET ?? stored.signing };
}

function readOrCreateSecrets(file: string): Config['secrets'] {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Config['secrets'];
  } catch {
    const secrets = { jwt: randomBytes(32).toString('hex'), signing: randomBytes(32).toString('hex') };
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    return secrets;
  }
}
