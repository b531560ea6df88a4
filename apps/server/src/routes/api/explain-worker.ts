/**
 * The worker thread that reads and explains `POST /api/explain` requests (see worker-pool.ts):
 * validating a large diagram and explaining a message against its bindings happen here, off the
 * event loop, and the answer comes back as the JSON text of the reply.
 */
import { isMainThread } from 'node:worker_threads';
import { explainRoute, type ExplainMessage, type Topology } from '@warren/topology';
import { WarrenError } from '../../errors/warren-error';
import { serveJobs } from '../../workers/worker-pool';
import { definitionsOrThrow, topologyOrThrow } from './topology-input';

/** What to explain: against a topology document, a definitions file, or a session's diagram. */
export type ExplainJob = { message: ExplainMessage } & (
  | { topology: unknown }
  | { definitions: unknown; vhost: string | undefined }
  /** A session's current topology, valid already. */
  | { sessionTopology: Topology }
);

/** A WarrenError as it crosses the thread boundary. */
export interface ExplainFailure {
  code: WarrenError['code'];
  message: string;
  extra: WarrenError['extra'];
}

export function explainJob(job: ExplainJob): string {
  let topology: Topology;
  if ('sessionTopology' in job) topology = job.sessionTopology;
  else if ('topology' in job) topology = topologyOrThrow(job.topology, '/topology');
  else topology = definitionsOrThrow(job.definitions, job.vhost).topology;
  return JSON.stringify(explainRoute(topology, job.message));
}

function describe(error: unknown): ExplainFailure {
  if (error instanceof WarrenError)
    return { code: error.code, message: error.message, extra: error.extra };
  return { code: 'INTERNAL', message: 'Explaining the message failed.', extra: {} };
}

if (!isMainThread) await serveJobs(explainJob, describe);
