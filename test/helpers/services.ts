import { randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { createS3Client } from '../../src/storage/s3-storage.ts';

/**
 * Each test file gets its own database, bucket and key prefix on the shared servers that test/run.ts started, so
 * files run in parallel without seeing each other.
 */
export const servers = {
  postgres: process.env.TEST_POSTGRES_URL,
  redis: process.env.TEST_REDIS_URL,
  s3: process.env.TEST_S3_ENDPOINT,
  smtp: process.env.TEST_SMTP_URL,
  mailDir: process.env.TEST_MAIL_DIR,
};

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = requireServer('postgres');
  const name = uniqueName('speakai_test');
  await withClient(admin, (client) => client.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(admin, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export function s3Settings(bucket: string) {
  return {
    driver: 's3' as const,
    bucket,
    endpoint: requireServer('s3'),
    region: 'us-east-1',
    accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID,
    secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY,
    forcePathStyle: true,
    urlTtlSeconds: 60,
  };
}

export async function createBucket(): Promise<string> {
  const bucket = uniqueName('speakai').replace(/_/g, '-');
  const client = createS3Client(s3Settings(bucket));
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}

export function requireServer(name: keyof typeof servers): string {
  const value = servers[name];
  if (!value) throw new Error(`No ${name} server: run the suite with npm test, which starts one`);
  return value;
}
