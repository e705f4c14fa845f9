import type { FastifyBaseLogger } from 'fastify';

export interface JobContext {
  id: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  log: FastifyBaseLogger;
}

export type JobHandler<T> = (data: T, context: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** A job with the id of one still waiting is not added twice. */
  jobId?: string;
}

export interface RetryPolicy {
  attempts: number;
  /** The wait before retry n is backoffMs * 2^(n-1). */
  backoffMs: number;
}

/**
 * Background work, behind one interface for both back ends: BullMQ on Redis (several processes, survives restarts) and
 * an in-process runner (the embedded default). Handlers are defined by the domain plugins in every process; only
 * processes that run workers execute them.
 */
export interface JobQueue {
  readonly backend: 'bullmq' | 'in-process';
  define<T>(name: string, handler: JobHandler<T>): void;
  enqueue<T>(name: string, data: T, options?: EnqueueOptions): Promise<string>;
  /** Starts executing jobs in this process. */
  startWorkers(): Promise<void>;
  /** Stops taking new jobs and waits for those already running. */
  close(): Promise<void>;
}

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** (attempt - 1);
}

export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`No job named "${name}" is defined`);
    this.name = 'UnknownJobError';
  }
}
