import { afterEach, describe, expect, it } from 'vitest';
import {
  JobFailed,
  JobTooCostly,
  PoolBusy,
  WorkerPool,
  type PoolLimits,
} from '../../src/workers/worker-pool';
import { until } from '../helpers';
import type { SampleJob } from './sample-worker';

const pools: WorkerPool<SampleJob, string>[] = [];
const pool = (limits: Partial<PoolLimits> = {}) => {
  const made = new WorkerPool<SampleJob, string>(new URL('./sample-worker.ts', import.meta.url), {
    size: 1,
    timeoutMs: 10_000,
    maxQueued: 4,
    maxHeapMb: 64,
    idleMs: 60_000,
    ...limits,
  });
  pools.push(made);
  return made;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool', () => {
  it('runs jobs on a thread, in order, and passes on what a job threw', async () => {
    const p = pool();
    const results = await Promise.all([p.run({ echo: 'a' }), p.run({ echo: 'b' })]);
    expect(results).toEqual(['a', 'b']);
    const failed = await p.run({ fail: 'no such exchange' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JobFailed);
    expect((failed as JobFailed).failure).toBe('no such exchange');
    expect(await p.run({ echo: 'still there' })).toBe('still there');
  }, 30_000);

  it('ends a job that runs past its time, and the next job gets a fresh thread', async () => {
    const p = pool({ timeoutMs: 300 });
    await p.run({ echo: 'loaded' });
    const slow = await p.run({ spinMs: 5000 }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(JobTooCostly);
    expect(await p.run({ echo: 'after' })).toBe('after');
  }, 30_000);

  it('ends a job that needs more memory than its limit', async () => {
    const p = pool({ maxHeapMb: 32 });
    const greedy = await p.run({ allocateMb: 512 }).catch((e: unknown) => e);
    expect(greedy).toBeInstanceOf(JobTooCostly);
    expect(await p.run({ echo: 'after' })).toBe('after');
  }, 30_000);

  it('ends a thread left without work, and starts one again for the next job', async () => {
    const p = pool({ idleMs: 100 });
    expect(await p.run({ echo: 'first' })).toBe('first');
    expect(p.threadCount).toBe(1);
    await until(() => p.threadCount === 0);
    expect(await p.run({ echo: 'again' })).toBe('again');
  }, 30_000);

  it('refuses a job at once when every thread is busy and the queue is full', async () => {
    const p = pool({ maxQueued: 1 });
    await p.run({ echo: 'loaded' });
    const running = p.run({ spinMs: 500 });
    const queued = p.run({ echo: 'queued' });
    await expect(p.run({ echo: 'one too many' })).rejects.toBeInstanceOf(PoolBusy);
    expect(await running).toBe('spun');
    expect(await queued).toBe('queued');
  }, 30_000);
});
