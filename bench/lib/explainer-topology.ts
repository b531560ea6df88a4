import fc from 'fast-check';
import type { ExplainMessage, Topology } from '@warren/topology';
import { BENCH_SHAPE, messageArbitrary, topologyArbitrary } from '@warren/topology/testing';

/**
 * The explainer benchmark's diagram: 200 bindings over exchanges of every type (built-in ones
 * too), a few exchange-to-exchange bindings and alternate exchanges, and a third of the queues
 * with a TTL, a length limit and a dead-letter exchange (the usual shape: one dead-letter
 * exchange and queue), so that explanations carry fates and dead-letter routes too.
 */
export function benchTopology(seed: number): Topology {
  const [generated] = fc.sample(topologyArbitrary(BENCH_SHAPE), { seed, numRuns: 1 });
  if (!generated) throw new Error('no topology generated');
  const queues = generated.queues.map((queue, i) => {
    if (i % 3 !== 0) return queue;
    return {
      ...queue,
      arguments: {
        'x-message-ttl': 60_000,
        'x-dead-letter-exchange': 'dead-letters',
        ...(i % 2 === 0 ? { 'x-max-length': 1000, 'x-overflow': 'reject-publish-dlx' } : {}),
      },
    };
  });
  return {
    ...generated,
    exchanges: [
      ...generated.exchanges,
      {
        id: 'dlx',
        name: 'dead-letters',
        type: 'fanout',
        durable: true,
        autoDelete: false,
        internal: false,
      },
    ],
    queues: [
      ...queues,
      { id: 'dlq', name: 'dead-letters', durable: true, exclusive: false, autoDelete: false },
    ],
    bindings: [
      ...generated.bindings,
      {
        id: 'dlb',
        source: 'dead-letters',
        destination: 'dead-letters',
        destinationType: 'queue',
        routingKey: '',
      },
    ],
  };
}

export function benchMessages(topology: Topology, seed: number, count: number): ExplainMessage[] {
  return fc.sample(messageArbitrary(topology), { seed, numRuns: count });
}
