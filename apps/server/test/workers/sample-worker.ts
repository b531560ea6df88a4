/** A worker for the pool's tests: echoes, throws, spins or allocates as asked. */
import { serveJobs } from '../../src/workers/worker-pool';

export type SampleJob =
  { echo: string } | { fail: string } | { spinMs: number } | { allocateMb: number };

function handle(job: SampleJob): string {
  if ('echo' in job) return job.echo;
  if ('fail' in job) throw new Error(job.fail);
  if ('spinMs' in job) {
    const until = Date.now() + job.spinMs;
    while (Date.now() < until);
    return 'spun';
  }
  const kept: number[][] = [];
  for (let i = 0; i < job.allocateMb * 16; i++) kept.push(new Array<number>(8192).fill(i));
  return String(kept.length);
}

await serveJobs(handle, (error) => (error instanceof Error ? error.message : String(error)));
