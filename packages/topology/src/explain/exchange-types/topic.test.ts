import { describe, expect, it } from 'vitest';
import { explainRoute } from '../explain';
import { bind, decisionOf, exchange, queue, topology } from '../test-fixtures';

describe('topic exchange', () => {
  const doc = topology({
    exchanges: [exchange('orders', 'topic')],
    queues: [queue('all'), queue('critical'), queue('empty')],
    bindings: [
      bind('orders', 'all', 'order.#'),
      bind('orders', 'critical', '#.critical'),
      bind('orders', 'empty', ''),
    ],
  });

  it('matches word by word and explains each binding', () => {
    const e = explainRoute(doc, { exchange: 'orders', routingKey: 'order.create.critical' });
    expect(e.queues).toEqual(['all', 'critical']);
    expect(e.hops[0]?.bindings[0]).toMatchObject({
      matched: true,
      reason:
        "'order.#' matches 'order.create.critical': 'order' = 'order', '#' takes 'create.critical'",
      topic: [
        { pattern: 'order', words: ['order'], ok: true },
        { pattern: '#', words: ['create', 'critical'], ok: true },
      ],
    });
  });

  it('an empty routing key has zero words: only # and the empty pattern match it', () => {
    const e = explainRoute(doc, { exchange: 'orders', routingKey: '' });
    expect(e.queues).toEqual(['empty']);
  });
});

describe('the topic exchange as route/2 decides', () => {
  const doc = topology({
    exchanges: [exchange('orders', 'topic')],
    queues: [queue('eu')],
    bindings: [bind('orders', 'eu', 'order.eu.*')],
  });

  it('shows the CC key that matched, word by word', () => {
    const d = decisionOf(doc, 'orders', ['order.us.new', 'order.eu.new']);
    expect(d.verdicts[0]).toMatchObject({
      matched: true,
      reason:
        "'order.eu.*' matches 'order.eu.new': 'order' = 'order', 'eu' = 'eu', '*' takes 'new'",
    });
    expect(d.destinations).toMatchObject([{ type: 'queue', name: 'eu' }]);
  });

  it('shows the routing key itself when no key matched', () => {
    const d = decisionOf(doc, 'orders', ['order.us.new', 'x']);
    expect(d.verdicts[0]?.matched).toBe(false);
    expect(d.verdicts[0]?.reason).toContain("does not match 'order.us.new'");
    expect(d.destinations).toEqual([]);
  });
});
