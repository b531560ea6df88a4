import type { Topology } from '@warren/topology';
import type { BrokerDefinitions } from './management-api';

function sortedJson(value: Record<string, unknown> | undefined): string {
  const table = value ?? {};
  return JSON.stringify(
    Object.keys(table)
      .sort()
      .map((k) => [k, table[k]]),
  );
}

/**
 * What the vhost holds that the diagram does not, or the other way round, object by object with
 * every setting the broker keeps. Warren's own objects (its server-named observer queue and that
 * queue's binding) and the built-in exchanges are not the diagram's.
 */
export function materializedDifferences(defs: BrokerDefinitions, topology: Topology): string[] {
  const problems: string[] = [];
  const differ = (what: string, want: string[], have: string[]) => {
    const wanted = new Set(want);
    const had = new Set(have);
    const missing = want.filter((x) => !had.has(x));
    const extra = have.filter((x) => !wanted.has(x));
    if (missing.length > 0) problems.push(`${what} missing on the broker: ${missing.join('; ')}.`);
    if (extra.length > 0)
      problems.push(`${what} on the broker but not in the diagram: ${extra.join('; ')}.`);
  };
  differ(
    'exchanges',
    topology.exchanges.map(
      (x) =>
        `${x.name} ${x.type} durable=${x.durable} autoDelete=${x.autoDelete} internal=${x.internal} ${sortedJson(x.arguments)}`,
    ),
    defs.exchanges
      .filter((x) => !x.name.startsWith('amq.') && x.name !== '')
      .map(
        (x) =>
          `${x.name} ${x.type} durable=${x.durable} autoDelete=${x.auto_delete} internal=${x.internal} ${sortedJson(x.arguments)}`,
      ),
  );
  differ(
    'queues',
    topology.queues.map(
      (q) => `${q.name} durable=${q.durable} autoDelete=${q.autoDelete} ${sortedJson(q.arguments)}`,
    ),
    defs.queues
      .filter((q) => !q.name.startsWith('amq.gen-'))
      .map(
        (q) =>
          `${q.name} durable=${q.durable} autoDelete=${q.auto_delete} ${sortedJson(q.arguments)}`,
      ),
  );
  differ(
    'bindings',
    topology.bindings.map(
      (b) =>
        `${b.source} -> ${b.destinationType} ${b.destination} '${b.routingKey}' ${sortedJson(b.arguments)}`,
    ),
    defs.bindings
      .filter((b) => b.source !== '' && !b.destination.startsWith('amq.gen-'))
      .map(
        (b) =>
          `${b.source} -> ${b.destination_type} ${b.destination} '${b.routing_key}' ${sortedJson(b.arguments)}`,
      ),
  );
  differ(
    'policies',
    (topology.policies ?? []).map(
      (p) =>
        `${p.name} '${p.pattern}' ${p.applyTo} priority=${p.priority} ${sortedJson(p.definition)}`,
    ),
    (defs.policies ?? []).map(
      (p) =>
        `${p.name} '${p.pattern}' ${p['apply-to']} priority=${p.priority} ${sortedJson(p.definition)}`,
    ),
  );
  return problems;
}
