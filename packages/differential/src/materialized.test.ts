import { describe, expect, it } from 'vitest';
import { binding, exchange, policy, queue, topology } from '@warren/topology/testing';
import type { BrokerDefinitions } from './management-api';
import { materializedDifferences } from './materialized';

const doc = topology({
  exchanges: [exchange('jobs', 'topic', { arguments: { 'alternate-exchange': 'amq.fanout' } })],
  queues: [queue('a')],
  bindings: [binding('jobs', 'a', 'k.#')],
  policies: [policy('ae', '^jobs$', { 'alternate-exchange': 'amq.fanout' }, { priority: 2 })],
});

/** The vhost as the broker exports it once Warren applied `doc`, Warren's own objects included. */
function brokerHolding(): BrokerDefinitions {
  return {
    exchanges: [
      {
        name: 'jobs',
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: { 'alternate-exchange': 'amq.fanout' },
      },
      {
        name: 'amq.direct',
        type: 'direct',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
    ],
    queues: [
      { name: 'a', durable: true, auto_delete: false, arguments: {} },
      { name: 'amq.gen-observer', durable: false, auto_delete: true, arguments: {} },
    ],
    bindings: [
      {
        source: 'jobs',
        destination: 'a',
        destination_type: 'queue',
        routing_key: 'k.#',
        arguments: {},
      },
      {
        source: 'amq.rabbitmq.trace',
        destination: 'amq.gen-observer',
        destination_type: 'queue',
        routing_key: '#',
        arguments: {},
      },
    ],
    policies: [
      {
        name: 'ae',
        pattern: '^jobs$',
        'apply-to': 'all',
        priority: 2,
        definition: { 'alternate-exchange': 'amq.fanout' },
      },
    ],
  };
}

describe('the vhost against the diagram', () => {
  it('finds nothing when the broker holds the diagram and Warren its own observer', () => {
    expect(materializedDifferences(brokerHolding(), doc)).toEqual([]);
  });

  it('names what is missing and what is extra, every setting counted', () => {
    const defs = brokerHolding();
    defs.exchanges[0] = { ...defs.exchanges[0]!, internal: true };
    defs.queues.push({ name: 'left-over', durable: true, auto_delete: false, arguments: {} });
    defs.policies = [{ ...defs.policies![0]!, priority: 1 }];
    expect(materializedDifferences(defs, doc)).toEqual([
      `exchanges missing on the broker: jobs topic durable=true autoDelete=false internal=false [["alternate-exchange","amq.fanout"]].`,
      `exchanges on the broker but not in the diagram: jobs topic durable=true autoDelete=false internal=true [["alternate-exchange","amq.fanout"]].`,
      'queues on the broker but not in the diagram: left-over durable=true autoDelete=false [].',
      `policies missing on the broker: ae '^jobs$' all priority=2 [["alternate-exchange","amq.fanout"]].`,
      `policies on the broker but not in the diagram: ae '^jobs$' all priority=1 [["alternate-exchange","amq.fanout"]].`,
    ]);
  });
});
