import { explainRoute as explain, type Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { MessageTimeline, type TimelineEntry } from './message-timeline';
import { compareRoutes, explainRequestFor } from './message-why';

const topology: Topology = {
  version: 1,
  exchanges: [{ id: 'x1', name: 'demo.topic', type: 'topic' }],
  queues: [
    { id: 'q1', name: 'critical' },
    { id: 'q2', name: 'order' },
    { id: 'q3', name: 'login' },
  ],
  bindings: [
    {
      id: 'b1',
      source: 'demo.topic',
      destination: 'critical',
      routingKey: '#.critical',
      destinationType: 'queue',
    },
    {
      id: 'b2',
      source: 'demo.topic',
      destination: 'order',
      routingKey: 'order.#',
      destinationType: 'queue',
    },
    {
      id: 'b3',
      source: 'demo.topic',
      destination: 'login',
      routingKey: 'user.login.*',
      destinationType: 'queue',
    },
  ],
} as unknown as Topology;

function entryFor(routingKey: string, routedQueues: string[]): TimelineEntry {
  const timeline = new MessageTimeline();
  timeline.record([
    {
      seq: 1,
      at: 1,
      type: 'routed',
      messageId: 'm1',
      exchange: 'demo.topic',
      routingKey,
      routedQueues,
      outside: false,
      messageKey: 'k-1',
      properties: { headers: { tenant: 'eu' }, priority: 3, messageId: 'm1' },
      payload: { size: 7, base64: 'e30=' },
    },
  ]);
  return timeline.entries()[0] as TimelineEntry;
}

describe('explainRequestFor', () => {
  it('asks about the exchange, key, headers and properties the message had', () => {
    expect(explainRequestFor(entryFor('a.b', ['q']), 's1')).toEqual({
      sessionId: 's1',
      message: {
        exchange: 'demo.topic',
        routingKey: 'a.b',
        headers: { tenant: 'eu' },
        properties: { priority: 3, messageId: 'm1' },
        payloadBytes: 7,
      },
    });
  });

  it('cannot ask about a message whose publish was not seen', () => {
    const timeline = new MessageTimeline();
    timeline.record([
      {
        seq: 1,
        at: 1,
        type: 'delivered',
        messageId: null,
        queue: 'q',
        redelivered: false,
        messageKey: 'k',
      },
    ]);
    expect(explainRequestFor(timeline.entries()[0] as TimelineEntry, 's1')).toBeUndefined();
  });
});

describe('compareRoutes', () => {
  it('agrees when the broker took the explained route, and says why each binding matched', () => {
    const entry = entryFor('order.create.critical', ['order', 'critical']);
    const request = explainRequestFor(entry, 's1');
    const explanation = explain(topology, {
      exchange: 'demo.topic',
      routingKey: request?.message.routingKey ?? '',
    });
    const comparison = compareRoutes(entry, explanation);
    expect(comparison.agree).toBe(true);
    expect(comparison.observed).toEqual(['critical', 'order']);
    expect(comparison.verdict).toBe(
      "The broker routed it to 'critical', 'order', as the explainer says.",
    );
    expect(comparison.reasons.map((r) => [r.destination, r.matched])).toEqual([
      ['critical', true],
      ['order', true],
      ['login', false],
    ]);
    expect(comparison.reasons[0]?.reason).toMatch(/#\.critical/);
  });

  it('tells an unroutable message, and a route that differs from the diagram now', () => {
    const nowhere = compareRoutes(
      entryFor('system.log.info', []),
      explain(topology, { exchange: 'demo.topic', routingKey: 'system.log.info' }),
    );
    expect(nowhere.agree).toBe(true);
    expect(nowhere.verdict).toMatch(/no queue/);
    const changed = compareRoutes(
      entryFor('user.login.success', ['order']),
      explain(topology, { exchange: 'demo.topic', routingKey: 'user.login.success' }),
    );
    expect(changed.agree).toBe(false);
    expect(changed.verdict).toMatch(/'login'/);
  });
});
