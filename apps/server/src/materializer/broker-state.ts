import {
  EXCHANGE_TYPES,
  isBuiltInExchange,
  POLICY_TARGETS,
  TOPOLOGY_VERSION,
  type Binding,
  type Exchange,
  type ExchangeType,
  type Policy,
  type PolicyTarget,
  type Queue,
  type Topology,
} from '@warren/topology';
import type {
  BrokerBinding,
  BrokerExchange,
  BrokerPolicy,
  BrokerQueue,
} from '../broker/management';
import type { ServerNamedQueues } from './queue-names';

/** What the management API lists for one vhost. */
export interface BrokerListing {
  exchanges: BrokerExchange[];
  queues: BrokerQueue[];
  bindings: Omit<BrokerBinding, 'properties_key'>[];
  policies: BrokerPolicy[];
}

export interface Ownership {
  /** Queues of Warren's own machinery (the firehose observer): never part of the diagram. */
  hidden: (brokerName: string) => boolean;
  serverNamed: ServerNamedQueues;
}

const nonEmpty = (table: Record<string, unknown> | undefined) =>
  table !== undefined && Object.keys(table).length > 0 ? { arguments: table } : {};

/**
 * What the broker has in the vhost, as a topology: server-named queues under their labels (with
 * `serverNamed`), bindings to them likewise, and vhost policies. Queues of outside clients are
 * in it too, exclusive ones included (see client-owned.ts). Exchanges of types the diagram
 * cannot draw are left out, so an apply never deletes them.
 */
export function listingToTopology(listing: BrokerListing, ownership: Ownership): Topology {
  const exchanges: Exchange[] = listing.exchanges
    .filter(
      (x) => !isBuiltInExchange(x.name) && (EXCHANGE_TYPES as readonly string[]).includes(x.type),
    )
    .map((x) => ({
      id: `exchange:${x.name}`,
      name: x.name,
      type: x.type as ExchangeType,
      durable: x.durable,
      autoDelete: x.auto_delete,
      internal: x.internal,
      ...nonEmpty(x.arguments),
    }));
  const visible = new Set<string>();
  const queues: Queue[] = [];
  for (const q of listing.queues) {
    if (ownership.hidden(q.name)) continue;
    visible.add(q.name);
    const label = ownership.serverNamed.labelOf(q.name);
    queues.push({
      id: `queue:${label ?? q.name}`,
      name: label ?? q.name,
      durable: q.durable,
      exclusive: q.exclusive,
      autoDelete: q.auto_delete,
      ...(label === undefined ? {} : { serverNamed: true }),
      ...nonEmpty(q.arguments),
    });
  }
  const bindings: Binding[] = [];
  for (const [i, b] of listing.bindings.entries()) {
    // The default exchange's implicit bindings are not the diagram's to manage.
    if (b.source === '') continue;
    if (b.destination_type === 'queue' && !visible.has(b.destination)) continue;
    bindings.push({
      id: `broker-binding:${i}`,
      source: b.source,
      destination:
        b.destination_type === 'queue'
          ? ownership.serverNamed.toDiagram(b.destination)
          : b.destination,
      destinationType: b.destination_type,
      routingKey: b.routing_key,
      ...nonEmpty(b.arguments),
    });
  }
  const policies = listing.policies.map(brokerPolicyToPolicy);
  return {
    version: TOPOLOGY_VERSION,
    exchanges,
    queues,
    bindings,
    producers: [],
    ...(policies.length > 0 ? { policies } : {}),
  };
}

export function brokerPolicyToPolicy(p: BrokerPolicy): Policy {
  const applyTo = (POLICY_TARGETS as readonly string[]).includes(p['apply-to'])
    ? (p['apply-to'] as PolicyTarget)
    : 'all';
  return {
    id: `policy:${p.name}`,
    name: p.name,
    pattern: p.pattern,
    applyTo,
    priority: p.priority,
    definition: p.definition,
  };
}

export function policyToBrokerPolicy(p: Policy): Omit<BrokerPolicy, 'vhost'> {
  return {
    name: p.name,
    pattern: p.pattern,
    'apply-to': p.applyTo,
    priority: p.priority,
    definition: p.definition,
  };
}
