/**
 * The worker thread that reads `POST /api/definitions/import` files (see off-loop.ts): importing,
 * laying out and validating thousands of objects happen here, off the event loop.
 */
import { isMainThread } from 'node:worker_threads';
import { serveJobs } from '../../workers/worker-pool';
import { describeFailure } from './off-loop';
import { definitionsOrThrow, type ImportedDefinitions } from './topology-input';

export interface ImportJob {
  definitions: unknown;
  vhost: string | undefined;
}

const importJob = (job: ImportJob): ImportedDefinitions =>
  definitionsOrThrow(job.definitions, job.vhost);

if (!isMainThread) await serveJobs(importJob, describeFailure);
