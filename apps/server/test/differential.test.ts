import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createExplainer, type Topology } from '@warren/topology';
import { runDifferential } from '../../../bench/lib/differential-harness';
import { appPerFile, auth, createSession, management } from './helpers';

/**
 * The routing explainer against the real broker: random topologies (every exchange type,
 * built-in and default exchanges, exchange-to-exchange cycles, alternate exchanges by argument
 * and by policy, internal exchanges, all four x-match modes) are materialized through Warren's
 * API and random messages published; the broker's routed_queues must be what the explainer
 * predicted. A bounded sample with a fixed seed; bench/differential.ts runs 10,000 cases.
 */

const SEED = 20240611;
const TOPOLOGIES = 60;
const MESSAGES_PER_TOPOLOGY = 40;

let app: FastifyInstance;

appPerFile((a) => (app = a));

describe('routing explainer against the broker', () => {
  it(`predicts routed_queues for ${TOPOLOGIES * MESSAGES_PER_TOPOLOGY} random publishes (seed ${SEED})`, async () => {
    const result = await runDifferential(app, management(), {
      seed: SEED,
      topologies: TOPOLOGIES,
      messagesPerTopology: MESSAGES_PER_TOPOLOGY,
      sessions: 2,
      concurrency: 16,
    });
    if (result.brokerIncidents.length > 0)
      console.warn(
        `${result.brokerIncidents.length} diagram(s) needed a second session after a broker error: ${result.brokerIncidents.map((i) => i.problem).join(' | ')}`,
      );
    const failures = [...result.materializeProblems, ...result.mismatches];
    if (failures.length > 0) {
      // The seed and the first failing topology and message, to replay by hand.
      console.error(
        JSON.stringify(
          {
            seed: result.seed,
            mismatches: result.mismatches.slice(0, 3),
            materializeProblems: result.materializeProblems.slice(0, 2),
          },
          null,
          2,
        ),
      );
    }
    expect(result.materializeProblems.map((p) => p.problem)).toEqual([]);
    expect(result.mismatches.map((m) => m.problem)).toEqual([]);
    expect(result.cases).toBe(TOPOLOGIES * MESSAGES_PER_TOPOLOGY);
  }, 60_000);

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
});
