import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import {
  backoffDelay,
  type EnqueueOptions,
  type JobHandler,
  type JobQueue,
  type RetryPolicy,
  UnknownJobError,
} from './queue.ts';

interface PendingJob {
  id: string;
  name: string;
  data: unknown;
  attempt: number;
}

/**
 * Jobs in this process's memory, run with bounded concurrency, retried with exponential backoff. On close the jobs
 * still waiting (also those waiting for a retry) are run at once, so a graceful shutdown loses none.
 */
export class InProcessQueue implements JobQueue {
  readonly backend = 'in-process';
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly ready: PendingJob[] = [];
  private readonly delayed = new Map<NodeJS.Timeout, PendingJob>();
  private readonly idleWaiters: Array<() => void> = [];
  private running = 0;
  private started = false;
  private closing = false;
  private readonly log: FastifyBaseLogger;
  private readonly concurrency: number;
  private readonly policy: RetryPolicy;

  constructor(log: FastifyBaseLogger, concurrency: number, policy: RetryPolicy) {
    this.log = log;
    this.concurrency = concurrency;
    this.policy = policy;
  }

  define<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
  }

  async enqueue<T>(name: string, data: T, options: EnqueueOptions = {}): Promise<string> {
    if (!this.handlers.has(name)) throw new UnknownJobError(name);
    const job = { id: options.jobId ?? randomUUID(), name, data, attempt: 1 };
    if (options.delayMs) this.later(job, options.delayMs);
    else this.ready.push(job);
    // Never within the caller's turn, as with BullMQ: a request that queues work answers before the job's first line.
    setImmediate(() => this.pump());
    return job.id;
  }

  async startWorkers(): Promise<void> {
    this.started = true;
    this.pump();
  }

  /** Resolves when nothing is running, ready or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const [timer, job] of this.delayed) {
      clearTimeout(timer);
      this.ready.push(job);
    }
    this.delayed.clear();
    this.pump();
    await this.idle();
  }

  private later(job: PendingJob, delayMs: number): void {
    if (this.closing) {
      this.ready.push(job);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.ready.push(job);
      this.pump();
    }, delayMs);
    this.delayed.set(timer, job);
  }

  private pump(): void {
    while (this.started && this.running < this.concurrency && this.ready.length > 0) {
      void this.run(this.ready.shift() as PendingJob);
    }
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private isIdle(): boolean {
    return this.running === 0 && this.ready.length === 0 && this.delayed.size === 0;
  }

  private async run(job: PendingJob): Promise<void> {
    this.running++;
    const log = this.log.child({ job: job.name, jobId: job.id, attempt: job.attempt });
    try {
      await (this.handlers.get(job.name) as JobHandler<unknown>)(job.data, { id: job.id, attempt: job.attempt, log });
    } catch (err) {
      if (job.attempt < this.policy.attempts) {
        log.warn({ err }, 'job failed; retrying');
        this.later({ ...job, attempt: job.attempt + 1 }, backoffDelay(this.policy, job.attempt));
      } else {
        log.error({ err }, 'job failed on its last attempt');
      }
    } finally {
      this.running--;
      this.pump();
    }
  }
}
