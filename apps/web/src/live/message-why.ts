import type { ExplainRequest } from '@warren/protocol';
import type { Explanation } from '@warren/topology';
import type { TimelineEntry } from './message-timeline';

/**
 * "Why it went here": the route the broker took for an observed message, beside the route the
 * explainer works out for the same exchange, routing key and headers.
 */

/** The explain request for an observed message, against the session's diagram as applied. */
export function explainRequestFor(
  entry: TimelineEntry,
  sessionId: string,
): ExplainRequest | undefined {
  if (entry.exchange === undefined) return undefined;
  const props = entry.properties;
  const headers: NonNullable<ExplainRequest['message']['headers']> = {};
  for (const [key, value] of Object.entries(props?.headers ?? {}))
    if (key.length <= 255) headers[key] = value;
  const properties: NonNullable<ExplainRequest['message']['properties']> = {};
  if (props?.expiration !== undefined) properties.expiration = props.expiration;
  if (props?.priority !== undefined && props.priority >= 0 && props.priority <= 255)
    properties.priority = props.priority;
  if (props?.messageId !== undefined && props.messageId.length <= 255)
    properties.messageId = props.messageId;
  if (props?.correlationId !== undefined && props.correlationId.length <= 255)
    properties.correlationId = props.correlationId;
  if (props?.timestamp !== undefined && Number.isInteger(props.timestamp) && props.timestamp >= 0)
    properties.timestamp = props.timestamp;
  return {
    sessionId,
    message: {
      exchange: entry.exchange,
      routingKey: entry.routingKey ?? '',
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      ...(entry.returned ? { mandatory: true } : {}),
      ...(entry.payload ? { payloadBytes: entry.payload.size } : {}),
    },
  };
}

export interface RouteComparison {
  observed: readonly string[];
  explained: readonly string[];
  agree: boolean;
  /** One sentence on both routes. */
  verdict: string;
  /** Every binding on the way, matched or not, and why. */
  reasons: { destination: string; matched: boolean; reason: string }[];
  summary: string;
}

const list = (queues: readonly string[]) =>
  queues.length === 0 ? 'no queue' : queues.map((q) => `'${q}'`).join(', ');

/** Holds the broker's route against the explained one. */
export function compareRoutes(entry: TimelineEntry, explanation: Explanation): RouteComparison {
  const observed = [...entry.routedQueues].sort();
  const explained = [...explanation.queues].sort();
  // A consistent-hash exchange leaves a choice: any of the listed outcomes is the explained one.
  const possible = explanation.outcomes ?? [explained];
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((q, i) => q === b[i]);
  const agree = possible.some((outcome) => same([...outcome].sort(), observed));
  const verdict = agree
    ? `The broker routed it to ${list(observed)}, as the explainer says.`
    : `The broker routed it to ${list(observed)}; the diagram as applied now sends it to ${list(explained)} (it may have changed since).`;
  const reasons: RouteComparison['reasons'] = [];
  for (const hop of explanation.hops)
    for (const binding of hop.bindings)
      reasons.push({
        destination: binding.destination,
        matched: binding.matched,
        reason: binding.reason,
      });
  // The bindings that took it first: they are the answer to "why here".
  reasons.sort((a, b) => Number(b.matched) - Number(a.matched));
  return { observed, explained, agree, verdict, reasons, summary: explanation.summary };
}
