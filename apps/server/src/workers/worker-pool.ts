import { Worker } from 'node:worker_threads';

/**
 * Work that may take long (explaining a message against thousands of bindings, validating a
 * large document) runs on worker threads, so the event loop keeps answering everyone else
 * meanwhile. A job that runs past its time limit has its thread ended; jobs beyond what the
 * pool holds are refused at once instead of piling up.
 *
 * The worker script answers `{ id, input }` with `{ id, ok, result }` or `{ id, ok, error }`, and posts
 * `{ ready: true }` once it has loaded (see `serveJobs`).
 */

export interface PoolLimits {
  /** Threads at most (started when first needed; a 2-core server wants one). */
  size: number;
  /** Time a job may run on its thread. */
  timeoutMs: number;
  /** Jobs waiting for a thread at most; one more is refused. */
  maxQueued: number;
  /** Heap a thread may use; past it the thread ends and its job fails as too costly. */
  maxHeapMb: number;
  /** A thread with no job for this long ends, giving its memory back (tens of MB). */
  idleMs: number;
}

/** The job ran past its time limit, or its heap limit; its thread was ended. */
export class JobTooCostly extends Error {
  constructor(readonly limit: string) {
    super(`the job went past its limit: ${limit}`);
    this.name = 'JobTooCostly';
  }
}

/** Every thread is busy and the queue is full. */
export class PoolBusy extends Error {
  constructor() {
    super('every worker is busy and the queue is full');
    this.name = 'PoolBusy';
  }
}

/** The job failed inside the worker: what it threw, as the worker described it. */
export class JobFailed extends Error {
  constructor(readonly failure: unknown) {
    super('the job failed in its worker');
    this.name = 'JobFailed';
  }
}

interface Job<In, Out> {
  id: number;
  input: In;
  resolve: (out: Out) => void;
  reject: (error: Error) => void;
}

interface Thread<In, Out> {
  worker: Worker;
  ready: boolean;
  job: Job<In, Out> | undefined;
  timer: NodeJS.Timeout | undefined;
  idle: NodeJS.Timeout | undefined;
}

type Reply<Out> =
  | { ready: true }
  | { id: number; ok: true; result: Out }
  | { id: number; ok: false; error: unknown };

/** Loads the job's TypeScript module in the thread (see typescript-worker.mjs). */
const BOOTSTRAP = new URL('./typescript-worker.mjs', import.meta.url);

export class WorkerPool<In, Out> {
  private readonly threads = new Set<Thread<In, Out>>();
  private readonly queue: Job<In, Out>[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly script: URL,
    private readonly limits: PoolLimits,
  ) {}

  run(input: In): Promise<Out> {
    if (this.closed) return Promise.reject(new PoolBusy());
    const idle = [...this.threads].find((t) => t.ready && t.job === undefined);
    if (
      !idle &&
      this.threads.size >= this.limits.size &&
      this.queue.length >= this.limits.maxQueued
    )
      return Promise.reject(new PoolBusy());
    return new Promise<Out>((resolve, reject) => {
      this.nextId += 1;
      const job: Job<In, Out> = { id: this.nextId, input, resolve, reject };
      if (idle) this.start(idle, job);
      else {
        this.queue.push(job);
        if (this.threads.size < this.limits.size) this.spawn();
      }
    });
  }

  private spawn(): void {
    const worker = new Worker(BOOTSTRAP, {
      workerData: { script: this.script.href },
      // Not the server's own flags (the tsx loader, --inspect): the bootstrap loads tsx itself.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb },
    });
    const thread: Thread<In, Out> = {
      worker,
      ready: false,
      job: undefined,
      timer: undefined,
      idle: undefined,
    };
    this.threads.add(thread);
    worker.on('message', (reply: Reply<Out>) => {
      if ('ready' in reply) {
        thread.ready = true;
        this.next(thread);
        if (!thread.job) this.rest(thread);
        return;
      }
      const job = thread.job;
      if (!job || job.id !== reply.id) return;
      this.finish(thread);
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new JobFailed(reply.error));
      this.next(thread);
      if (!thread.job) this.rest(thread);
    });
    const gone = (error: Error) => {
      if (!this.threads.delete(thread)) return;
      clearTimeout(thread.timer);
      clearTimeout(thread.idle);
      thread.job?.reject(error);
      thread.job = undefined;
      if (!thread.ready) {
        // It could not even start: the jobs waiting would fare no better.
        for (const job of this.queue.splice(0)) job.reject(error);
      } else if (!this.closed && this.queue.length > 0) this.spawn();
    };
    worker.on('error', (error: Error & { code?: string }) =>
      gone(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new JobTooCostly(`${this.limits.maxHeapMb} MB of memory`)
          : error,
      ),
    );
    worker.on('exit', (code) => gone(new Error(`worker exited (${code})`)));
  }

  /** Threads running now (loading, busy or resting). */
  get threadCount(): number {
    return this.threads.size;
  }

  private start(thread: Thread<In, Out>, job: Job<In, Out>): void {
    clearTimeout(thread.idle);
    thread.job = job;
    thread.worker.ref();
    thread.timer = setTimeout(() => {
      // A thread busy past its limit is stuck in the job: end it (a new one starts on demand).
      this.threads.delete(thread);
      this.finish(thread);
      job.reject(new JobTooCostly(`${this.limits.timeoutMs / 1000} s`));
      void thread.worker.terminate();
      if (!this.closed && this.queue.length > 0) this.spawn();
    }, this.limits.timeoutMs);
    thread.worker.postMessage({ id: job.id, input: job.input });
  }

  private finish(thread: Thread<In, Out>): void {
    clearTimeout(thread.timer);
    thread.timer = undefined;
    thread.job = undefined;
    thread.worker.unref();
  }

  /** A thread without a job: it keeps nothing alive, and ends if none comes for a while. */
  private rest(thread: Thread<In, Out>): void {
    thread.worker.unref();
    clearTimeout(thread.idle);
    thread.idle = setTimeout(() => {
      if (thread.job || !this.threads.delete(thread)) return;
      void thread.worker.terminate();
    }, this.limits.idleMs);
    thread.idle.unref();
  }

  private next(thread: Thread<In, Out>): void {
    const job = this.queue.shift();
    if (job) this.start(thread, job);
  }

  /** Ends every thread; jobs not finished are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PoolBusy());
    const threads = [...this.threads];
    this.threads.clear();
    for (const thread of threads) {
      clearTimeout(thread.timer);
      clearTimeout(thread.idle);
      thread.job?.reject(new PoolBusy());
    }
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

/**
 * The worker side: answers each job with `handle`'s result, or with what it threw (as `describe`
 * makes it fit to cross the thread boundary). Call once from the worker script.
 */
export async function serveJobs<In, Out>(
  handle: (input: In) => Out,
  describe: (error: unknown) => unknown,
): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('serveJobs runs in a worker thread');
  const port = parentPort;
  port.on('message', ({ id, input }: { id: number; input: In }) => {
    try {
      port.postMessage({ id, ok: true, result: handle(input) });
    } catch (error) {
      port.postMessage({ id, ok: false, error: describe(error) });
    }
  });
  port.postMessage({ ready: true });
}
