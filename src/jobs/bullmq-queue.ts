import { Queue, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { createRedis } from '../infrastructure/redis.ts';
import type { EnqueueOptions, JobHandler, JobQueue, RetryPolicy } from './queue.ts';
import { UnknownJobError } from './queue.ts';

/** One BullMQ queue per job name, so that a slow kind of job never holds up another. */
export class BullMqQueue implements JobQueue {
  readonly backend = 'bullmq';
  private readonly queues = new Map<string, Queue>();
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly workers: Worker[] = [];
  private readonly blockingClients: Redis[] = [];
  private readonly connection: Redis;
  private readonly url: string;
  private readonly prefix: string;
  private readonly log: FastifyBaseLogger;
  private readonly concurrency: number;
  private readonly policy: RetryPolicy;

  constructor(options: {
    connection: Redis;
    url: string;
    prefix: string;
    log: FastifyBaseLogger;
    concurrency: number;
    policy: RetryPolicy;
  }) {
    this.connection = options.connection;
    this.url = options.url;
    this.prefix = `${options.prefix}:jobs`;
    this.log = options.log;
    this.concurrency = options.concurrency;
    this.policy = options.policy;
  }

  define<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
    this.queues.set(name, new Queue(name, { connection: this.connection, prefix: this.prefix }));
  }

  async enqueue<T>(name: string, data: T, options: EnqueueOptions = {}): Promise<string> {
    const queue = this.queues.get(name);
    if (!queue) throw new UnknownJobError(name);
    const job = await queue.add(name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: this.policy.attempts,
      backoff: { type: 'exponential', delay: this.policy.backoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return job.id as string;
  }

  async startWorkers(): Promise<void> {
    for (const [name, handler] of this.handlers) {
      const connection = createRedis(this.url, { forBlocking: true });
      this.blockingClients.push(connection);
      const worker = new Worker(
        name,
        async (job) => {
          const log = this.log.child({ job: name, jobId: job.id, attempt: job.attemptsMade + 1 });
          await handler(job.data, { id: job.id as string, attempt: job.attemptsMade + 1, log });
        },
        { connection, prefix: this.prefix, concurrency: this.concurrency },
      );
      worker.on('failed', (job, err) =>
        this.log.warn({ err, job: name, jobId: job?.id, attempt: job?.attemptsMade }, 'job failed'),
      );
      worker.on('error', (err) => this.log.error({ err, job: name }, 'worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  async close(): Promise<void> {
    // Worker.close() waits for the jobs it is running; queues only hold a shared connection.
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.all(this.blockingClients.map((client) => client.quit()));
  }
}
