import fc from 'fast-check';
import {
  createExplainer,
  type Explanation,
  type ExplainMessage,
  type Policy,
  type Topology,
} from '@warren/topology';
import { routingCaseArbitrary, type RoutingCase } from '@warren/topology/testing';

/**
 * Checks the routing explainer against the real broker: random topologies are materialized
 * through Warren's own HTTP API, random messages published through it, and the broker's
 * `routed_queues` (from its firehose) compared with what the explainer predicts.
 */

/** The part of a Fastify instance the harness uses (`app.inject`). */
export interface Injector {
  inject(options: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    url: string;
    headers?: Record<string, string>;
    payload?: unknown;
  }): Promise<{ statusCode: number; body: string; json: <T = unknown>() => T }>;
}

/** The part of Warren's management client the harness uses. */
export interface ManagementApi {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface DifferentialOptions {
  seed: number;
  topologies: number;
  messagesPerTopology: number;
  /** Sessions working side by side, each with its own vhost. */
  sessions?: number;
  /** Publishes in flight per session. */
  concurrency?: number;
  /** Called after each topology, for progress output. */
  progress?: (done: number, total: number) => void;
}

export interface Observed {
  status: number;
  /** The broker's routed_queues, limited to queues of the diagram (sorted). */
  queues?: string[];
  /** routed_queues as the firehose reported them. */
  routedQueues?: string[];
  returned?: boolean;
  error?: string;
}

export interface Mismatch {
  seed: number;
  topologyIndex: number;
  messageIndex: number;
  problem: string;
  message: ExplainMessage;
  predicted: Pick<Explanation, 'queues' | 'outcomes' | 'returned' | 'error' | 'summary'>;
  observed: Observed;
  topology: Topology;
}

export interface MaterializeProblem {
  topologyIndex: number;
  /** The diagram the session held before, when the problem came while replacing it. */
  previousIndex?: number;
  problem: string;
  topology: Topology;
}

export interface DifferentialResult {
  seed: number;
  cases: number;
  topologies: number;
  mismatches: Mismatch[];
  materializeProblems: MaterializeProblem[];
  /**
   * Diagrams that failed to materialize once and went through in a fresh session: RabbitMQ
   * 3.10 now and then closes the connection with 541 INTERNAL_ERROR while Warren deletes an
   * exchange between two diagrams (a crash in rabbit_binding:process_deletions).
   */
  brokerIncidents: MaterializeProblem[];
  durationMs: number;
}

interface SessionHandle {
  id: string;
  vhost: string;
  headers: Record<string, string>;
}

/** The random cases of one run; the same seed always gives the same cases. */
export function differentialCases(options: DifferentialOptions): RoutingCase[] {
  return fc.sample(routingCaseArbitrary({ messages: options.messagesPerTopology }), {
    seed: options.seed,
    numRuns: options.topologies,
  });
}

export async function runDifferential(
  app: Injector,
  management: ManagementApi,
  options: DifferentialOptions,
): Promise<DifferentialResult> {
  const started = Date.now();
  const cases = differentialCases(options);
  const result: DifferentialResult = {
    seed: options.seed,
    cases: 0,
    topologies: 0,
    mismatches: [],
    materializeProblems: [],
    brokerIncidents: [],
    durationMs: 0,
  };
  const sessionCount = Math.max(1, Math.min(options.sessions ?? 2, cases.length));
  let next = 0;
  const worker = async () => {
    let session = await openSession(app);
    let previous: number | undefined;
    try {
      for (;;) {
        const index = next++;
        const routingCase = cases[index];
        if (!routingCase) break;
        const problem = await runCase(
          app,
          management,
          session,
          routingCase,
          index,
          options,
          result,
          previous,
        );
        if (problem === undefined) previous = index;
        else {
          // The session may be broken (a broker refusal, a lost connection): try the diagram
          // once more in a new session; only a second failure counts.
          await closeSession(app, management, session);
          session = await openSession(app);
          const again = await runCase(
            app,
            management,
            session,
            routingCase,
            index,
            options,
            result,
            undefined,
          );
          if (again === undefined) {
            result.brokerIncidents.push(problem);
            previous = index;
          } else {
            result.materializeProblems.push(again);
            await closeSession(app, management, session);
            session = await openSession(app);
            previous = undefined;
          }
        }
        options.progress?.(result.topologies, cases.length);
      }
    } finally {
      await closeSession(app, management, session);
    }
  };
  await Promise.all(Array.from({ length: sessionCount }, worker));
  result.durationMs = Date.now() - started;
  return result;
}

async function openSession(app: Injector): Promise<SessionHandle> {
  const response = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
  if (response.statusCode !== 201)
    throw new Error(`creating a session failed: ${response.statusCode} ${response.body}`);
  const body = response.json<{ id: string; vhost: string; editToken: string }>();
  return {
    id: body.id,
    vhost: body.vhost,
    headers: { authorization: `Bearer ${body.editToken}` },
  };
}

async function closeSession(
  app: Injector,
  management: ManagementApi,
  session: SessionHandle,
): Promise<void> {
  const response = await app.inject({
    method: 'DELETE',
    url: `/api/sessions/${session.id}`,
    headers: session.headers,
  });
  if (response.statusCode !== 204) {
    // Whatever happened to the session, its vhost must not outlive the run.
    await management
      .request('DELETE', `/vhosts/${encodeURIComponent(session.vhost)}`)
      .catch(() => {});
  }
}

async function runCase(
  app: Injector,
  management: ManagementApi,
  session: SessionHandle,
  routingCase: RoutingCase,
  topologyIndex: number,
  options: DifferentialOptions,
  result: DifferentialResult,
  previous: number | undefined,
): Promise<MaterializeProblem | undefined> {
  const { topology, messages } = routingCase;
  const problem = (text: string): MaterializeProblem => ({
    topologyIndex,
    ...(previous === undefined ? {} : { previousIndex: previous }),
    problem: text,
    topology,
  });
  const applied = await app.inject({
    method: 'PUT',
    url: `/api/sessions/${session.id}/topology?recreate=true`,
    headers: session.headers,
    payload: acceptedByWarren(topology),
  });
  if (applied.statusCode !== 200)
    return problem(`PUT topology answered ${applied.statusCode}: ${applied.body}`);
  await syncPolicies(management, session.vhost, topology.policies ?? []);
  const problems = await materializedDifferences(management, session.vhost, topology);
  if (problems.length > 0) return problem(problems.join(' '));

  const explain = createExplainer(topology);
  const predictions = messages.map((m) => explain(m));
  const queueNames = new Set(topology.queues.map((q) => q.name));
  const observed: (Observed | undefined)[] = Array.from({ length: messages.length });

  // A publish the broker refuses closes the publishing channel, failing every publish in flight
  // on it: those the explainer expects to succeed go first, side by side; the others one by one.
  const fine = messages.map((_, i) => i).filter((i) => predictions[i]?.error === undefined);
  const refused = messages.map((_, i) => i).filter((i) => predictions[i]?.error !== undefined);
  const concurrency = options.concurrency ?? 16;
  let cursor = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, fine.length) }, async () => {
      for (;;) {
        const i = fine[cursor++];
        if (i === undefined) break;
        observed[i] = await publish(app, session, messages[i] as ExplainMessage, queueNames);
      }
    }),
  );
  const retry = fine.filter((i) => observed[i]?.status !== 200);
  for (const i of [...retry, ...refused])
    observed[i] = await publish(app, session, messages[i] as ExplainMessage, queueNames);

  messages.forEach((message, messageIndex) => {
    const prediction = predictions[messageIndex] as Explanation;
    const seen = observed[messageIndex] as Observed;
    const problem = compare(prediction, seen, message);
    result.cases++;
    if (problem === undefined) return;
    result.mismatches.push({
      seed: options.seed,
      topologyIndex,
      messageIndex,
      problem,
      message,
      predicted: {
        queues: prediction.queues,
        ...(prediction.outcomes ? { outcomes: prediction.outcomes } : {}),
        returned: prediction.returned,
        ...(prediction.error ? { error: prediction.error } : {}),
        summary: prediction.summary,
      },
      observed: seen,
      topology,
    });
  });
  result.topologies++;
  return undefined;
}

/**
 * The diagram without the policies Warren's validation refuses (an alternate exchange it does
 * not draw): those go to the broker through the management API only, which accepts them.
 */
export function acceptedByWarren(topology: Topology): Topology {
  if (!topology.policies) return topology;
  const names = new Set(topology.exchanges.map((x) => x.name));
  const known = (value: unknown) =>
    typeof value !== 'string' || names.has(value) || value === '' || value.startsWith('amq.');
  const policies = topology.policies.filter((p) => known(p.definition['alternate-exchange']));
  const accepted: Topology = { ...topology };
  if (policies.length > 0) accepted.policies = policies;
  else delete accepted.policies;
  return accepted;
}

async function publish(
  app: Injector,
  session: SessionHandle,
  message: ExplainMessage,
  queueNames: Set<string>,
): Promise<Observed> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/publish`,
    headers: session.headers,
    payload: {
      exchange: message.exchange,
      routingKey: message.routingKey,
      payload: 'differential',
      mandatory: message.mandatory ?? false,
      ...(message.headers ? { headers: message.headers } : {}),
    },
  });
  if (response.statusCode !== 200) {
    const body = response.json<{ error?: { code?: string; message?: string } }>();
    return { status: response.statusCode, error: body.error?.code ?? response.body };
  }
  const body = response.json<{ routedQueues: string[]; returned?: unknown }>();
  return {
    status: 200,
    // The firehose lists a default-exchange key as a queue even when no such queue exists.
    queues: body.routedQueues.filter((q) => queueNames.has(q)).sort(),
    routedQueues: body.routedQueues,
    returned: body.returned !== undefined,
  };
}

const ERROR_STATUS: Record<NonNullable<Explanation['error']>['code'], number> = {
  EXCHANGE_NOT_FOUND: 404,
  EXCHANGE_INTERNAL: 403,
  INVALID_MESSAGE: 406,
};

/** Undefined when the broker did what the explainer said; otherwise what differs. */
export function compare(
  prediction: Explanation,
  observed: Observed,
  message: ExplainMessage,
): string | undefined {
  if (prediction.error) {
    const status = ERROR_STATUS[prediction.error.code];
    return observed.status === status
      ? undefined
      : `explainer says ${prediction.error.code} (${status}), the broker answered ${observed.status}${observed.error ? ` ${observed.error}` : ''}`;
  }
  if (observed.status !== 200 || !observed.queues)
    return `explainer says it routes, the broker answered ${observed.status} ${observed.error ?? ''}`.trim();
  const seen = observed.queues;
  const key = seen.join(',');
  if (prediction.outcomes) {
    if (!prediction.outcomes.some((o) => o.join(',') === key))
      return `the broker routed to [${key}], none of the predicted outcomes ${JSON.stringify(prediction.outcomes)}`;
  } else if (prediction.hashChoices.length > 0) {
    // Too many consistent-hash combinations to list: only the queues reached without a pick.
    const missing = prediction.queues.filter((q) => !seen.includes(q));
    if (missing.length > 0)
      return `the broker routed to [${key}], without [${missing.join(',')}] the explainer was sure of`;
  } else if (prediction.queues.join(',') !== key) {
    return `the broker routed to [${key}], the explainer predicted [${prediction.queues.join(',')}]`;
  }
  const shouldReturn = message.mandatory === true && seen.length === 0;
  if (observed.returned !== shouldReturn)
    return `the broker ${observed.returned ? 'returned' : 'did not return'} the message (mandatory ${message.mandatory === true}, routed to [${key}])`;
  if (
    !prediction.outcomes &&
    prediction.hashChoices.length === 0 &&
    prediction.returned !== observed.returned
  )
    return `the explainer says returned=${prediction.returned}, the broker returned=${observed.returned}`;
  return undefined;
}

/**
 * Puts the diagram's policies on the vhost through the management API and removes others, in
 * case the session's materializer does not apply `policies` itself.
 */
export async function syncPolicies(
  management: ManagementApi,
  vhost: string,
  policies: Policy[],
): Promise<void> {
  const v = encodeURIComponent(vhost);
  const existing = await management.request<{ name: string }[]>('GET', `/policies/${v}`);
  const wanted = new Set(policies.map((p) => p.name));
  for (const policy of existing)
    if (!wanted.has(policy.name))
      await management.request('DELETE', `/policies/${v}/${encodeURIComponent(policy.name)}`);
  for (const policy of policies) {
    await management.request('PUT', `/policies/${v}/${encodeURIComponent(policy.name)}`, {
      pattern: policy.pattern,
      definition: policy.definition,
      priority: policy.priority,
      'apply-to': policy.applyTo,
    });
  }
}

interface BrokerDefinitions {
  exchanges: {
    name: string;
    type: string;
    internal: boolean;
    arguments: Record<string, unknown>;
  }[];
  queues: { name: string }[];
  bindings: {
    source: string;
    destination: string;
    destination_type: string;
    routing_key: string;
    arguments: Record<string, unknown>;
  }[];
  policies?: { name: string; pattern: string }[];
}

function sortedJson(value: Record<string, unknown> | undefined): string {
  const table = value ?? {};
  return JSON.stringify(
    Object.keys(table)
      .sort()
      .map((k) => [k, table[k]]),
  );
}

/**
 * What the vhost holds that the diagram does not, or the other way round: a run only counts
 * when the broker really has the diagram, so a materializer slip is not blamed on the explainer.
 */
export async function materializedDifferences(
  management: ManagementApi,
  vhost: string,
  topology: Topology,
): Promise<string[]> {
  const defs = await management.request<BrokerDefinitions>(
    'GET',
    `/definitions/${encodeURIComponent(vhost)}`,
  );
  const problems: string[] = [];
  const differ = (what: string, want: Set<string>, have: Set<string>) => {
    const missing = [...want].filter((x) => !have.has(x));
    const extra = [...have].filter((x) => !want.has(x));
    if (missing.length > 0) problems.push(`${what} missing on the broker: ${missing.join('; ')}.`);
    if (extra.length > 0)
      problems.push(`${what} on the broker but not in the diagram: ${extra.join('; ')}.`);
  };
  differ(
    'exchanges',
    new Set(
      topology.exchanges.map(
        (x) => `${x.name} ${x.type} internal=${x.internal} ${sortedJson(x.arguments)}`,
      ),
    ),
    new Set(
      defs.exchanges
        .filter((x) => !x.name.startsWith('amq.') && x.name !== '')
        .map((x) => `${x.name} ${x.type} internal=${x.internal} ${sortedJson(x.arguments)}`),
    ),
  );
  const queueNames = new Set(topology.queues.map((q) => q.name));
  differ(
    'queues',
    queueNames,
    new Set(defs.queues.map((q) => q.name).filter((n) => !n.startsWith('amq.gen-'))),
  );
  differ(
    'bindings',
    new Set(
      topology.bindings.map(
        (b) =>
          `${b.source} -> ${b.destinationType} ${b.destination} '${b.routingKey}' ${sortedJson(b.arguments)}`,
      ),
    ),
    new Set(
      defs.bindings
        .filter((b) => b.source !== '' && !b.destination.startsWith('amq.gen-'))
        .map(
          (b) =>
            `${b.source} -> ${b.destination_type} ${b.destination} '${b.routing_key}' ${sortedJson(b.arguments)}`,
        ),
    ),
  );
  differ(
    'policies',
    new Set((topology.policies ?? []).map((p) => `${p.name} ${p.pattern}`)),
    new Set((defs.policies ?? []).map((p) => `${p.name} ${p.pattern}`)),
  );
  return problems;
}
