import type { ExplainMessage, Topology } from '@warren/topology';
import { disagreement, expectedPublish } from './agreement';
import type { WarrenSession } from './warren-api';

/**
 * The explainer on a session whose queues are partly its clients' own: subscribers outside
 * Warren declare exclusive server-named queues (`amq.gen-…`) and bind them, as the pub/sub,
 * routing and topic tutorials do. Explain with the session's id must say what the broker then
 * does with each message, as Warren reports the broker's routed_queues.
 */

/** A client outside Warren, on its own connection to the session's vhost. */
export interface OutsideSubscriber {
  /**
   * Declares an exclusive server-named queue and binds it to `exchange` with each key (with
   * `args` for a headers exchange); answers the name the broker gave it.
   */
  bindServerNamedQueue(
    exchange: string,
    keys: readonly string[],
    args?: Record<string, unknown>,
  ): Promise<string>;
}

/** What a scenario declares on a client's connection: the exchange, and the keys it binds. */
export interface SubscriberPlan {
  exchange: string;
  keys: string[];
  args?: Record<string, unknown>;
}

export interface OutsideDeclaredScenario {
  /** The diagram Warren applies: the exchanges the clients bind to. */
  topology: Topology;
  /** One subscriber each, on its own connection. */
  subscribers: SubscriberPlan[];
  messages: ExplainMessage[];
}

/** The tutorials' subscribers: a fanout, direct routing and topics, with messages for each. */
export function tutorialScenario(): OutsideDeclaredScenario {
  const x = (name: string, type: 'fanout' | 'direct' | 'topic' | 'headers') => ({
    id: `x-${name}`,
    name,
    type,
    durable: false,
    autoDelete: false,
    internal: false,
  });
  return {
    topology: {
      version: 1,
      exchanges: [
        x('logs', 'fanout'),
        x('direct_logs', 'direct'),
        x('topic_logs', 'topic'),
        x('tagged', 'headers'),
      ],
      queues: [],
      bindings: [],
      producers: [],
    },
    subscribers: [
      { exchange: 'logs', keys: [''] },
      { exchange: 'logs', keys: [''] },
      { exchange: 'direct_logs', keys: ['error'] },
      { exchange: 'direct_logs', keys: ['info', 'warning', 'error'] },
      { exchange: 'topic_logs', keys: ['#'] },
      { exchange: 'topic_logs', keys: ['kern.*'] },
      { exchange: 'topic_logs', keys: ['*.critical'] },
      { exchange: 'tagged', keys: [''], args: { 'x-match': 'any', tag: 'a' } },
    ],
    messages: [
      { exchange: 'logs', routingKey: '' },
      { exchange: 'direct_logs', routingKey: 'error' },
      { exchange: 'direct_logs', routingKey: 'info' },
      { exchange: 'direct_logs', routingKey: 'debug', mandatory: true },
      { exchange: 'topic_logs', routingKey: 'kern.critical' },
      { exchange: 'topic_logs', routingKey: 'kern.info' },
      { exchange: 'topic_logs', routingKey: 'app.critical' },
      { exchange: 'topic_logs', routingKey: 'app' },
      { exchange: 'tagged', routingKey: '', headers: { tag: 'a' } },
      { exchange: 'tagged', routingKey: '', headers: { tag: 'b' } },
    ],
  };
}

export interface OutsideDeclaredFailure {
  message: ExplainMessage;
  problem: string;
  queues: string[];
}

const SETTLE_MS = 10_000;

/**
 * Applies the scenario's diagram, lets each subscriber declare and bind its queue, waits for
 * the session's topology to have them all, then publishes each message and compares Warren's
 * report of the broker's routing with what explain on the session predicted. Answers the first
 * disagreement, if any; nothing is retried.
 */
export async function runOutsideDeclared(
  session: WarrenSession,
  scenario: OutsideDeclaredScenario,
  subscriber: () => Promise<OutsideSubscriber>,
): Promise<{ cases: number; failure?: OutsideDeclaredFailure }> {
  const applied = await session.apply(scenario.topology);
  if (applied.status !== 200) throw new Error(`apply answered ${applied.status}`);
  const queues: string[] = [];
  for (const plan of scenario.subscribers) {
    const client = await subscriber();
    queues.push(await client.bindServerNamedQueue(plan.exchange, plan.keys, plan.args));
  }
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const topology = await session.topology();
    const names = new Set(topology.queues.map((q) => q.name));
    const bound = new Set(topology.bindings.map((b) => b.destination));
    if (queues.every((q) => names.has(q) && bound.has(q))) break;
    if (Date.now() > deadline) throw new Error('the clients’ queues never reached the topology');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let cases = 0;
  for (const message of scenario.messages) {
    const explanation = await session.explain(message);
    const observed = await session.publish(message);
    cases += 1;
    const problem = disagreement(expectedPublish(explanation, message), observed, message);
    if (problem !== undefined) return { cases, failure: { message, problem, queues } };
  }
  return { cases };
}
