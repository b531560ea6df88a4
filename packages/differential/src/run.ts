import { createExplainer, type ExplainMessage, type Topology } from '@warren/topology';
import { disagreement, expectedPublish, type ExpectedPublish } from './agreement';
import { differentialCases, type CaseOptions } from './cases';
import { vhostDefinitions, type ManagementApi } from './management-api';
import { materializedDifferences } from './materialized';
import { WarrenSession, type PublishObservation, type WarrenRequest } from './warren-api';

/**
 * The routing explainer against the real broker, through Warren: one session takes random
 * diagrams one after another, each PUT over the one before as a user applies an edit (policies
 * included), and random messages are published into each. Warren's report of each publish
 * (the firehose's routed_queues, a return, a refusal) must be what the explainer predicted.
 * The first disagreement ends the run: nothing is retried, nothing is left out of the answer.
 */

export interface DifferentialOptions extends CaseOptions {
  warren: WarrenRequest;
  management: ManagementApi;
  /** Called after each diagram, for progress output. */
  progress?: (done: number, total: number) => void;
}

/** The case that failed, with all it takes to replay it by hand. */
export type DifferentialFailure = (
  | { kind: 'materialize'; problem: string; reply?: unknown }
  | {
      kind: 'mismatch';
      problem: string;
      messageIndex: number;
      message: ExplainMessage;
      expected: ExpectedPublish;
      actual: PublishObservation;
      summary: string;
    }
) & {
  seed: number;
  topologyIndex: number;
  topology: Topology;
  /** The diagram the session held before this one, which this one was PUT over. */
  previousTopology?: Topology;
};

export interface DifferentialResult {
  seed: number;
  /** Publishes compared and found in agreement. */
  cases: number;
  /** Diagrams applied and checked. */
  topologies: number;
  durationMs: number;
  /** The first disagreement; absent when there was none. */
  failure?: DifferentialFailure;
}

export async function runDifferential(options: DifferentialOptions): Promise<DifferentialResult> {
  const started = Date.now();
  const cases = differentialCases(options);
  const result: DifferentialResult = { seed: options.seed, cases: 0, topologies: 0, durationMs: 0 };
  const session = await WarrenSession.open(options.warren);
  try {
    let previousTopology: Topology | undefined;
    for (const [topologyIndex, { topology, messages }] of cases.entries()) {
      const where = {
        seed: options.seed,
        topologyIndex,
        topology,
        ...(previousTopology ? { previousTopology } : {}),
      };
      const problem = await materialize(session, options.management, topology);
      if (problem) {
        result.failure = { kind: 'materialize', ...problem, ...where };
        break;
      }
      const explain = createExplainer(topology);
      for (const [messageIndex, message] of messages.entries()) {
        const prediction = explain(message);
        const expected = expectedPublish(prediction, message);
        // One publish at a time: a refused publish closes the channel under any other in flight.
        const actual = await session.publish(message);
        const differs = disagreement(expected, actual, message);
        if (differs !== undefined) {
          result.failure = {
            kind: 'mismatch',
            problem: differs,
            messageIndex,
            message,
            expected,
            actual,
            summary: prediction.summary,
            ...where,
          };
          break;
        }
        result.cases++;
      }
      if (result.failure) break;
      result.topologies++;
      previousTopology = topology;
      options.progress?.(result.topologies, cases.length);
    }
  } finally {
    await close(session, options.management);
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** PUTs the diagram; a refusal or any difference between diagram and vhost is a failure. */
async function materialize(
  session: WarrenSession,
  management: ManagementApi,
  topology: Topology,
): Promise<{ problem: string; reply?: unknown } | undefined> {
  const applied = await session.apply(topology);
  if (applied.status !== 200)
    return { problem: `PUT topology answered ${applied.status}`, reply: applied.body };
  if ('nodeErrors' in applied.body && applied.body.nodeErrors.length > 0)
    return { problem: 'PUT topology reported node errors', reply: applied.body.nodeErrors };
  const differences = materializedDifferences(
    await vhostDefinitions(management, session.vhost),
    topology,
  );
  return differences.length > 0 ? { problem: differences.join(' ') } : undefined;
}

async function close(session: WarrenSession, management: ManagementApi): Promise<void> {
  const reply = await session.close();
  if (reply.status === 204) return;
  // Whatever went wrong, the session's vhost must not outlive the run.
  await management.request('DELETE', `/vhosts/${encodeURIComponent(session.vhost)}`);
  throw new Error(`closing the session answered ${reply.status}: ${JSON.stringify(reply.body)}`);
}
