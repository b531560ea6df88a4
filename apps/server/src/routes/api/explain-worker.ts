/**
 * The worker thread that reads and explains `POST /api/explain` requests (see off-loop.ts):
 * validating a large diagram and explaining a message against its bindings happen here, off the
 * event loop, and the answer comes back as the JSON text of the reply.
 */
import { isMainThread } from 'node:worker_threads';
import { explainRoute, type ExplainMessage, type Topology } from '@warren/topology';
import { serveJobs } from '../../workers/worker-pool';
import { describeFailure } from './off-loop';
import { definitionsOrThrow, topologyOrThrow } from './topology-input';

/** What to explain: against a topology document, a definitions file, or a session's diagram. */
export type ExplainJob = { message: ExplainMessage } & (
  | { topology: unknown }
  | { definitions: unknown; vhost: string | undefined }
  /** A session's current topology, valid already. */
  | { sessionTopology: Topology }
);

export function explainJob(job: ExplainJob): string {
  let topology: Topology;
  if ('sessionTopology' in job) topology = job.sessionTopology;
  else if ('topology' in job) topology = topologyOrThrow(job.topology, '/topology');
  else topology = definitionsOrThrow(job.definitions, job.vhost).topology;
  return JSON.stringify(explainRoute(topology, job.message));
}

if (!isMainThread) await serveJobs(explainJob, describeFailure);
