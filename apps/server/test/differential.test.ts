import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import amqp, { type ChannelModel } from 'amqplib';
import {
  injectRequest,
  runDifferential,
  runOutsideDeclared,
  tutorialScenario,
  WarrenSession,
  type OutsideSubscriber,
} from '@warren/differential';
import { createExplainer, type Topology } from '@warren/topology';
import { appPerFile, auth, createSession, management } from './helpers';

/**
 * The routing explainer against the real broker: random diagrams (every exchange type, built-in
 * and default exchanges, exchange-to-exchange cycles, alternate exchanges by argument and by
 * policy, internal exchanges, all four x-match modes) go one after another into one session,
 * each PUT over the one before through Warren's API, policies included; random messages are
 * published into each, and Warren's report of each publish must be what the explainer
 * predicted. The first disagreement fails the test with its case; nothing is retried.
 * A bounded sample with a fixed seed; bench/differential.ts runs 10,000 cases.
 */

const SEED = 20240611;
const TOPOLOGIES = 60;
const MESSAGES_PER_TOPOLOGY = 40;

let app: FastifyInstance;

appPerFile((a) => (app = a));

describe('routing explainer against the broker', () => {
  it(`predicts what the broker does with ${TOPOLOGIES * MESSAGES_PER_TOPOLOGY} random publishes over ${TOPOLOGIES} diagrams in one session (seed ${SEED})`, async () => {
    const result = await runDifferential({
      warren: injectRequest(app),
      management: management(),
      seed: SEED,
      topologies: TOPOLOGIES,
      messagesPerTopology: MESSAGES_PER_TOPOLOGY,
    });
    // The failing case, with what it takes to replay it: seed, diagrams, message, both answers.
    expect(result.failure === undefined, JSON.stringify(result.failure, null, 2)).toBe(true);
    expect(result).toMatchObject({
      cases: TOPOLOGIES * MESSAGES_PER_TOPOLOGY,
      topologies: TOPOLOGIES,
    });
    console.info(JSON.stringify({ cases: result.cases, durationMs: result.durationMs }));
  }, 120_000);

  it('predicts presence-only header bindings (a void value matches any value)', async () => {
    const topology: Topology = {
      version: 1,
      exchanges: [
        {
          id: 'x',
          name: 'presence',
          type: 'headers',
          durable: true,
          autoDelete: false,
          internal: false,
        },
      ],
      queues: [
        { id: 'q1', name: 'any-k', durable: true, exclusive: false, autoDelete: false },
        { id: 'q2', name: 'k-and-n', durable: true, exclusive: false, autoDelete: false },
      ],
      bindings: [
        {
          id: 'b1',
          source: 'presence',
          destination: 'any-k',
          destinationType: 'queue',
          routingKey: '',
          arguments: { k: null },
        },
        {
          id: 'b2',
          source: 'presence',
          destination: 'k-and-n',
          destinationType: 'queue',
          routingKey: '',
          arguments: { 'x-match': 'all', k: null, n: 1 },
        },
      ],
      producers: [],
    };
    // A fresh vhost: the binding is declared once, never read back and diffed.
    const session = await createSession(app, { topology });
    try {
      const explain = createExplainer(topology);
      for (const headers of [{ k: 'x' }, { k: 7, n: 1 }, { n: 1 }, { k: null }, {}]) {
        const response = await app.inject({
          method: 'POST',
          url: `/api/sessions/${session.id}/publish`,
          headers: auth(session),
          payload: { exchange: 'presence', routingKey: '', headers },
        });
        expect(response.statusCode).toBe(200);
        const routed = response.json<{ routedQueues: string[] }>().routedQueues.sort();
        expect(routed, JSON.stringify(headers)).toEqual(
          explain({ exchange: 'presence', routingKey: '', headers }).queues,
        );
      }
    } finally {
      await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${session.id}`,
        headers: auth(session),
      });
    }
  });

  it("predicts the broker's routing to queues that clients declared for themselves (amq.gen-…, exclusive)", async () => {
    const session = await WarrenSession.open(injectRequest(app));
    const connections: ChannelModel[] = [];
    // A subscriber as in the tutorials, each on its own connection.
    const subscriber = async (): Promise<OutsideSubscriber> => {
      const connection = await amqp.connect(session.amqpUrl);
      connections.push(connection);
      const channel = await connection.createChannel();
      return {
        async bindServerNamedQueue(exchange, keys, args) {
          const { queue } = await channel.assertQueue('', { exclusive: true });
          for (const key of keys) await channel.bindQueue(queue, exchange, key, args);
          return queue;
        },
      };
    };
    try {
      const result = await runOutsideDeclared(session, tutorialScenario(), subscriber);
      expect(result.failure === undefined, JSON.stringify(result.failure, null, 2)).toBe(true);
      expect(result.cases).toBe(tutorialScenario().messages.length);
    } finally {
      await Promise.all(connections.map((c) => c.close().catch(() => {})));
      await session.close();
    }
  });
});
