import type { FastifyReply } from 'fastify';
import { WarrenError } from '../../errors/warren-error';
import {
  JobFailed,
  JobTooCostly,
  PoolBusy,
  type PoolLimits,
  type WorkerPool,
} from '../../workers/worker-pool';

/**
 * Requests whose cost grows with what a client sends and that need no token (explaining against
 * a diagram, reading a definitions file) run on a worker thread (see worker-pool.ts), so no other
 * request waits on them, with limits. One thread: a small server has two cores, one for the
 * event loop. A few requests may wait for it; more are told to come back.
 */
export const OFF_LOOP_LIMITS: PoolLimits = {
  size: 1,
  timeoutMs: 5000,
  maxQueued: 8,
  maxHeapMb: 256,
  // Started by the first request (loading takes about a second), ended when unused a while.
  idleMs: 5 * 60_000,
};

/** When a client refused for a busy thread may try again. */
const RETRY_AFTER_SECONDS = 1;

/** A WarrenError as it crosses the thread boundary. */
export interface WorkFailure {
  code: WarrenError['code'];
  message: string;
  extra: WarrenError['extra'];
}

/** What a worker answers for what its job threw. */
export function describeFailure(error: unknown): WorkFailure {
  if (error instanceof WarrenError)
    return { code: error.code, message: error.message, extra: error.extra };
  return { code: 'INTERNAL', message: 'The request failed.', extra: {} };
}

/**
 * Runs the job on the pool; what went wrong becomes the client's error: the job's own (a 400
 * naming the field), 422 `REQUEST_TOO_COSTLY` past the limits, 503 `SERVER_BUSY` when full.
 */
export async function offLoop<In, Out>(
  pool: WorkerPool<In, Out>,
  job: In,
  reply: FastifyReply,
): Promise<Out> {
  try {
    return await pool.run(job);
  } catch (error) {
    if (error instanceof JobFailed) {
      const failure = error.failure as WorkFailure;
      throw new WarrenError(failure.code, failure.message, failure.extra);
    }
    if (error instanceof JobTooCostly) {
      throw new WarrenError(
        'REQUEST_TOO_COSTLY',
        `This took more than ${error.limit} of work; try a smaller diagram or shorter patterns.`,
      );
    }
    if (error instanceof PoolBusy) {
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      throw new WarrenError('SERVER_BUSY');
    }
    throw error;
  }
}
