import {
  explainRoute,
  producerEdgeId,
  relationEdgeId,
  type Explanation,
  type ExplainMessage,
  type Producer,
  type Topology,
} from '@warren/topology';
import type { ExplainDraft, HeaderRow } from '../../canvas-inputs';

/**
 * What the explain panel shows, derived from the document: the message, the explanation, and
 * which nodes and edges of the canvas the route lights up.
 */

/** The message as the panel shows it, and the producer it belongs to, if any. */
export interface ExplainForm extends ExplainDraft {
  producer: Producer | undefined;
}

export type ExplainOutcome =
  { ok: true; explanation: Explanation } | { ok: false; problem: string };

/** How an element of the canvas takes part in the explained route. */
export type RouteMark = 'route' | 'maybe' | 'later';

export interface RouteHighlight {
  nodes: ReadonlyMap<string, RouteMark>;
  edges: ReadonlyMap<string, RouteMark>;
}

/** A producer's headers as rows of the form; a value that is not text is shown as JSON. */
export function headerRows(headers: Producer['headers']): HeaderRow[] {
  return Object.entries(headers ?? {}).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

/** Rows with a name, as a header table; later rows win, as they would in a typed map. */
export function headerRecord(rows: readonly HeaderRow[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key !== '') record[key] = row.value;
  }
  return record;
}

function sameHeaders(rows: readonly HeaderRow[], headers: Producer['headers']): boolean {
  const a = headerRecord(rows);
  const b = headerRecord(headerRows(headers));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * With a producer linked, its fields are the truth (the inspector or the node may change them
 * too); the draft keeps what is being typed, such as a header row without a name yet.
 */
export function explainForm(
  topology: Topology,
  producerId: string | null,
  draft: ExplainDraft,
): ExplainForm {
  const producer = topology.producers.find((p) => p.id === producerId);
  if (!producer) return { ...draft, producer: undefined };
  return {
    exchange: producer.exchange,
    routingKey: producer.routingKey,
    mandatory: producer.mandatory,
    headers: sameHeaders(draft.headers, producer.headers)
      ? draft.headers
      : headerRows(producer.headers),
    expiration: draft.expiration,
    producer,
  };
}

export function explainMessage(form: ExplainForm): ExplainMessage {
  const message: ExplainMessage = {
    exchange: form.exchange,
    routingKey: form.routingKey,
    mandatory: form.mandatory,
  };
  // A linked producer's own headers keep their types; typed rows are strings.
  const headers = form.producer ? (form.producer.headers ?? {}) : headerRecord(form.headers);
  if (Object.keys(headers).length > 0) message.headers = headers;
  const expiration = form.expiration.trim();
  if (expiration !== '') message.properties = { expiration };
  return message;
}

/** The explainer never takes the panel down: a throw becomes a sentence to show. */
export function explainSafely(topology: Topology, message: ExplainMessage): ExplainOutcome {
  try {
    return { ok: true, explanation: explainRoute(topology, message) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `The route could not be worked out: ${text}` };
  }
}

const rank: Record<RouteMark, number> = { later: 1, maybe: 2, route: 3 };

function mark(map: Map<string, RouteMark>, id: string | undefined, value: RouteMark): void {
  if (id === undefined) return;
  const current = map.get(id);
  if (current === undefined || rank[value] > rank[current]) map.set(id, value);
}

/** Which nodes and edges the route passes, for the canvas to light up (the rest is dimmed). */
export function routeHighlight(
  topology: Topology,
  explanation: Explanation,
  producerId: string | null,
): RouteHighlight {
  const nodes = new Map<string, RouteMark>();
  const edges = new Map<string, RouteMark>();
  const exchangeIds = new Map(topology.exchanges.map((x) => [x.name, x.id] as const));
  const queueIds = new Map(topology.queues.map((q) => [q.name, q.id] as const));
  const nodeOf = (name: string, type: 'queue' | 'exchange') =>
    type === 'queue' ? queueIds.get(name) : exchangeIds.get(name);

  const producer = topology.producers.find((p) => p.id === producerId);
  if (producer && producer.exchange === explanation.message.exchange) {
    mark(nodes, producer.id, 'route');
    mark(edges, producerEdgeId(producer.id), 'route');
  }

  const walk = (route: Explanation, how: RouteMark, depth: number) => {
    for (const hop of route.hops) {
      if (hop.viaHashChoice === undefined) mark(nodes, exchangeIds.get(hop.exchange), how);
      const from = hop.via.kind === 'alternate' ? exchangeIds.get(hop.via.from) : undefined;
      if (from !== undefined) mark(edges, relationEdgeId('alternate', from), how);
      // A consistent-hash exchange sends each message to one candidate only.
      const pick: RouteMark =
        (hop.hashCandidates || hop.viaHashChoice !== undefined) && how === 'route' ? 'maybe' : how;
      if (hop.viaHashChoice !== undefined) mark(nodes, exchangeIds.get(hop.exchange), pick);
      for (const verdict of hop.bindings) {
        if (!verdict.matched && !verdict.candidate) continue;
        mark(edges, verdict.bindingId, pick);
        mark(nodes, nodeOf(verdict.destination, verdict.destinationType), pick);
      }
      for (const candidate of hop.hashCandidates ?? []) {
        mark(nodes, nodeOf(candidate.destination, candidate.destinationType), pick);
        for (const b of topology.bindings) {
          if (b.source === hop.exchange && b.destination === candidate.destination)
            mark(edges, b.id, pick);
        }
      }
    }
    for (const queue of route.queues) mark(nodes, queueIds.get(queue), how);
    if (depth > 4) return;
    for (const fate of route.fates) {
      for (const later of fate.later) {
        if (!later.deadLetter) continue;
        const queue = queueIds.get(fate.queue);
        if (queue !== undefined) mark(edges, relationEdgeId('dead-letter', queue), 'later');
        if (later.deadLetter.route) walk(later.deadLetter.route, 'later', depth + 1);
      }
    }
  };
  walk(explanation, 'route', 0);
  return { nodes, edges };
}

/**
 * The nodes the explanation talks about: the linked producer, every exchange visited and every
 * destination of their bindings, matched or not. Joined as one string, so it compares by value.
 */
export function explainedArea(
  topology: Topology,
  explanation: Explanation,
  producerId: string | null,
): string {
  const ids = new Set<string>();
  const add = (id: string | undefined) => {
    if (id !== undefined) ids.add(id);
  };
  const producer = topology.producers.find((p) => p.id === producerId);
  if (producer && producer.exchange === explanation.message.exchange) add(producer.id);
  const exchange = (name: string) => topology.exchanges.find((x) => x.name === name)?.id;
  const queue = (name: string) => topology.queues.find((q) => q.name === name)?.id;
  for (const hop of explanation.hops) {
    add(exchange(hop.exchange));
    for (const v of hop.bindings)
      add(v.destinationType === 'queue' ? queue(v.destination) : exchange(v.destination));
  }
  return [...ids].sort().join('\n');
}
