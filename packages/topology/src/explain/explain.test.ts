import { describe, expect, it } from 'vitest';
import { createExplainer, explainRoute } from './explain';
import { bind, exchange, policy, queue, topology } from './test-fixtures';

describe('exchange-to-exchange bindings', () => {
  const doc = topology({
    exchanges: [exchange('a', 'fanout'), exchange('b', 'fanout'), exchange('c', 'direct')],
    queues: [queue('qa'), queue('qb'), queue('shared')],
    bindings: [
      bind('a', 'x:b'),
      bind('b', 'x:a'),
      bind('a', 'qa'),
      bind('b', 'qb'),
      bind('a', 'shared'),
      bind('b', 'shared'),
      bind('b', 'x:c', ''),
      bind('c', 'shared', 'k'),
    ],
  });

  it('visits each exchange once and delivers one copy per queue, even around a cycle', () => {
    const e = explainRoute(doc, { exchange: 'a', routingKey: 'k' });
    expect(e.queues).toEqual(['qa', 'qb', 'shared']);
    expect(e.hops.map((h) => h.exchange)).toEqual(['a', 'b', 'c']);
    expect(e.hops[1]?.via).toEqual({ kind: 'binding', from: 'a', bindingId: expect.any(String) });
    expect(e.hops[1]?.notes.join(' ')).toContain("'a' was already visited");
    expect(e.fates.find((f) => f.queue === 'qb')?.path).toEqual(['a', 'b']);
  });
});

describe('alternate exchange', () => {
  const base = {
    exchanges: [
      exchange('main', 'direct', { arguments: { 'alternate-exchange': 'unrouted' } }),
      exchange('unrouted', 'fanout'),
      exchange('other', 'fanout'),
      exchange('bypolicy', 'direct'),
      exchange('nowhere', 'direct', { arguments: { 'alternate-exchange': 'missing' } }),
      exchange('loop', 'direct', { arguments: { 'alternate-exchange': 'loop' } }),
    ],
    queues: [queue('q'), queue('lost'), queue('other-q')],
    bindings: [bind('main', 'q', 'known'), bind('unrouted', 'lost'), bind('other', 'other-q')],
  };

  it('takes the message when no binding matches, and only then', () => {
    const doc = topology(base);
    expect(explainRoute(doc, { exchange: 'main', routingKey: 'known' }).queues).toEqual(['q']);
    const e = explainRoute(doc, { exchange: 'main', routingKey: 'unknown' });
    expect(e.queues).toEqual(['lost']);
    expect(e.hops[0]?.alternate).toBe('unrouted');
    expect(e.hops[1]?.via).toEqual({ kind: 'alternate', from: 'main' });
  });

  it('comes from a policy, where the exchange has no argument; the argument wins', () => {
    const doc = topology({
      ...base,
      policies: [policy('ae', '^(bypolicy|main)$', { 'alternate-exchange': 'other' })],
    });
    const byPolicy = explainRoute(doc, { exchange: 'bypolicy', routingKey: 'x' });
    expect(byPolicy.queues).toEqual(['other-q']);
    expect(byPolicy.hops[0]?.notes[0]).toContain("set by policy 'ae'");
    expect(explainRoute(doc, { exchange: 'main', routingKey: 'x' }).queues).toEqual(['lost']);
  });

  it('says so when the alternate exchange does not exist, or was visited already', () => {
    const doc = topology(base);
    const missing = explainRoute(doc, { exchange: 'nowhere', routingKey: 'x', mandatory: true });
    expect(missing).toMatchObject({ queues: [], returned: true });
    expect(missing.hops[0]?.notes.join(' ')).toContain("'missing'");
    expect(missing.hops[0]?.notes.join(' ')).toContain('does not exist');
    const loop = explainRoute(doc, { exchange: 'loop', routingKey: 'x' });
    expect(loop.hops).toHaveLength(1);
    expect(loop.hops[0]?.notes.join(' ')).toContain('already visited');
  });
});

describe('publishes the broker refuses', () => {
  const doc = topology({
    exchanges: [exchange('hidden', 'fanout', { internal: true }), exchange('front', 'fanout')],
    queues: [queue('q')],
    bindings: [bind('front', 'x:hidden'), bind('hidden', 'q')],
  });

  it('a missing exchange: 404', () => {
    const e = explainRoute(doc, { exchange: 'nope', routingKey: '' });
    expect(e.error).toMatchObject({ code: 'EXCHANGE_NOT_FOUND', path: '/exchange' });
    expect(e).toMatchObject({ hops: [], queues: [], fates: [] });
    expect(e.summary).toContain("There is no exchange 'nope'");
  });

  it('an internal exchange published to directly: 403; reached through a binding it routes', () => {
    expect(explainRoute(doc, { exchange: 'hidden', routingKey: '' }).error?.code).toBe(
      'EXCHANGE_INTERNAL',
    );
    expect(explainRoute(doc, { exchange: 'amq.rabbitmq.trace', routingKey: '' }).error?.code).toBe(
      'EXCHANGE_INTERNAL',
    );
    expect(explainRoute(doc, { exchange: 'front', routingKey: '' }).queues).toEqual(['q']);
  });

  it('a bad expiration or CC header: 406', () => {
    for (const expiration of ['-1', 'soon', '1.5']) {
      expect(
        explainRoute(doc, { exchange: 'front', routingKey: '', properties: { expiration } }).error
          ?.code,
      ).toBe('INVALID_MESSAGE');
    }
    expect(
      explainRoute(doc, { exchange: 'front', routingKey: '', headers: { CC: 'k' } }).error?.code,
    ).toBe('INVALID_MESSAGE');
  });
});

describe('consistent-hash exchanges behind one another', () => {
  it('lists every combination of picks', () => {
    const doc = topology({
      exchanges: [exchange('h1', 'x-consistent-hash'), exchange('h2', 'x-consistent-hash')],
      queues: [queue('a'), queue('b'), queue('c')],
      bindings: [
        bind('h1', 'a', '1'),
        bind('h1', 'x:h2', '1'),
        bind('h2', 'b', '1'),
        bind('h2', 'c', '1'),
      ],
    });
    const e = explainRoute(doc, { exchange: 'h1', routingKey: 'k' });
    expect(e.outcomes).toEqual([['a'], ['b'], ['c']]);
    expect(e.hashChoices.map((c) => c.exchange)).toEqual(['h1', 'h2']);
    expect(e.fates.map((f) => [f.queue, f.viaHashChoice])).toEqual([
      ['a', 'h1'],
      ['b', 'h1'],
      ['c', 'h1'],
    ]);
  });
});

describe('createExplainer', () => {
  it('remembers verdicts per routing key and header values without mixing messages up', () => {
    const doc = topology({
      exchanges: [exchange('t', 'topic'), exchange('h', 'headers')],
      queues: [queue('q1'), queue('q2')],
      bindings: [
        bind('t', 'q1', 'a.*'),
        bind('t', 'q2', '#.b'),
        bind('h', 'q1', '', { 'x-match': 'any', k: 1 }),
        bind('h', 'q2', '', { k: '1' }),
      ],
    });
    const explain = createExplainer(doc);
    const messages = [
      { exchange: 't', routingKey: 'a.b' },
      { exchange: 't', routingKey: 'a.c' },
      { exchange: 'h', routingKey: '', headers: { k: 1 } },
      { exchange: 'h', routingKey: '', headers: { k: '1' } },
      { exchange: 'h', routingKey: '', headers: { k: 1, other: 'x' } },
    ];
    for (let round = 0; round < 2; round++)
      for (const m of messages)
        expect(JSON.stringify(explain(m))).toBe(JSON.stringify(explainRoute(doc, m)));
    expect(explain(messages[2]!).queues).toEqual(['q1']);
    expect(explain(messages[3]!).queues).toEqual(['q2']);
    expect(Object.isFrozen(explain(messages[0]!).hops[0]?.bindings[0])).toBe(true);
  });

  it('carries the summary in JSON, spread and structured clones', () => {
    const doc = topology({ queues: [queue('q')] });
    const e = explainRoute(doc, { exchange: '', routingKey: 'q' });
    expect(e.summary).toContain("It ends up in queue 'q'");
    expect((JSON.parse(JSON.stringify(e)) as { summary: string }).summary).toBe(e.summary);
    expect({ ...e }.summary).toBe(e.summary);
    expect(structuredClone(e).summary).toBe(e.summary);
  });

  it('gives the same answers as explainRoute, for many messages', () => {
    const doc = topology({
      exchanges: [exchange('t', 'topic')],
      queues: [queue('q')],
      bindings: [bind('t', 'q', 'a.*')],
    });
    const explain = createExplainer(doc);
    for (const routingKey of ['a.b', 'a', 'b.c']) {
      expect(explain({ exchange: 't', routingKey })).toEqual(
        explainRoute(doc, { exchange: 't', routingKey }),
      );
    }
  });

  it('writes a summary a learner can read', () => {
    const doc = topology({
      exchanges: [exchange('orders', 'topic')],
      queues: [queue('all')],
      bindings: [bind('orders', 'all', 'order.#'), bind('orders', 'all', 'invoice.*')],
    });
    expect(explainRoute(doc, { exchange: 'orders', routingKey: 'order.paid' }).summary).toBe(
      "The message goes to 'orders' with routing key 'order.paid'. At topic exchange 'orders' it goes to queue 'all' (pattern 'order.#'); 1 other binding does not match. It ends up in queue 'all'.",
    );
  });
});
