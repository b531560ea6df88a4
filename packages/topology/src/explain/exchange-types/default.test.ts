import { describe, expect, it } from 'vitest';
import { explainRoute } from '../explain';
import { bind, decisionOf, exchange, policy, queue, topology } from '../test-fixtures';

describe('default exchange', () => {
  const doc = topology({
    queues: [queue('orders'), queue('label', { serverNamed: true })],
  });

  it('routes to the queue named by the routing key', () => {
    const e = explainRoute(doc, { exchange: '', routingKey: 'orders' });
    expect(e.queues).toEqual(['orders']);
    expect(e.hops).toHaveLength(1);
    expect(e.hops[0]).toMatchObject({ exchange: '', type: 'default', via: { kind: 'publish' } });
    expect(e.hops[0]?.bindings[0]?.reason).toContain(
      "the queue named by the routing key, 'orders'",
    );
  });

  it('reaches a server-named queue by its label', () => {
    expect(explainRoute(doc, { exchange: '', routingKey: 'label' }).queues).toEqual(['label']);
  });

  it('drops, or returns when mandatory, a key that names no queue', () => {
    const dropped = explainRoute(doc, { exchange: '', routingKey: 'nope' });
    expect(dropped).toMatchObject({ queues: [], unroutable: true, returned: false });
    expect(dropped.hops[0]?.notes[0]).toContain("there is no queue 'nope'");
    const returned = explainRoute(doc, { exchange: '', routingKey: 'nope', mandatory: true });
    expect(returned).toMatchObject({ unroutable: true, returned: true });
    expect(returned.summary).toContain('312 NO_ROUTE');
  });

  it('ignores an alternate-exchange policy: the broker never consults one for it', () => {
    const withPolicy = topology({
      exchanges: [exchange('ae', 'fanout')],
      queues: [queue('q')],
      bindings: [bind('ae', 'q')],
      policies: [policy('everything', '.*', { 'alternate-exchange': 'ae' })],
    });
    expect(explainRoute(withPolicy, { exchange: '', routingKey: 'nope' }).queues).toEqual([]);
  });
});

describe('the default exchange as route/2 decides', () => {
  const doc = topology({ queues: [queue('orders'), queue('billing')] });

  it('names the queue of each routing key once, sorted, whether or not it exists', () => {
    const d = decisionOf(doc, '', ['orders', 'nope', 'billing', 'orders']);
    expect(d.destinations.map((x) => x.name)).toEqual(['billing', 'orders']);
    expect(d.unknownQueues).toEqual(['nope']);
    expect(d.verdicts.map((v) => v.destination)).toEqual(['billing', 'orders']);
  });

  it('sends a direct reply-to address to the waiting client, not to a queue', () => {
    const d = decisionOf(doc, '', 'amq.rabbitmq.reply-to.abc');
    expect(d.destinations).toEqual([]);
    expect(d.unknownQueues).toBeUndefined();
    expect(d.notes[0]).toContain('direct reply-to address');
  });
});

describe("the broker's routed_queues for the default exchange", () => {
  // DESIGN.md, "Observing the broker honestly": routed_queues is the routing decision, taken
  // before the queues are looked up, so it lists a key that names no queue.
  const doc = topology({ queues: [queue('orders')] });

  it('lists a name no queue has, though no queue receives the message', () => {
    const e = explainRoute(doc, { exchange: '', routingKey: 'nope', mandatory: true });
    expect(e).toMatchObject({ queues: [], routedQueues: ['nope'], returned: true });
    const empty = explainRoute(doc, { exchange: '', routingKey: '' });
    expect(empty).toMatchObject({ queues: [], routedQueues: [''], unroutable: true });
  });

  it('lists the CC and BCC names beside the queues that exist, and leaves out reply-to', () => {
    const e = explainRoute(doc, {
      exchange: '',
      routingKey: 'orders',
      headers: { CC: ['zz', 'orders'], BCC: ['amq.rabbitmq.reply-to.x'] },
    });
    expect(e).toMatchObject({ queues: ['orders'], routedQueues: ['orders', 'zz'] });
  });

  it('is left out when it is just the queues reached', () => {
    expect(explainRoute(doc, { exchange: '', routingKey: 'orders' })).not.toHaveProperty(
      'routedQueues',
    );
  });
});
