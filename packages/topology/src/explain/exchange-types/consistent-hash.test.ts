import { describe, expect, it } from 'vitest';
import { explainRoute } from '../explain';
import { bind, decisionOf, exchange, queue, topology } from '../test-fixtures';

describe('consistent-hash exchange', () => {
  const doc = topology({
    exchanges: [
      exchange('shards', 'x-consistent-hash'),
      exchange('one', 'x-consistent-hash'),
      exchange('fan', 'fanout'),
    ],
    queues: [queue('s1'), queue('s2'), queue('s3'), queue('only')],
    bindings: [
      bind('shards', 's1', '1'),
      bind('shards', 's2', '3'),
      bind('shards', 's2', '5'),
      bind('shards', 'x:fan', '1'),
      bind('shards', 's3', 'heavy'),
      bind('fan', 's3'),
      bind('one', 'only', '2'),
    ],
  });

  it('cannot say which destination: lists the candidates, exactly one receives it', () => {
    const e = explainRoute(doc, { exchange: 'shards', routingKey: 'user-42' });
    expect(e.queues).toEqual([]);
    expect(e.unroutable).toBe(false);
    expect(e.hops[0]?.hashCandidates).toEqual([
      { destination: 's1', destinationType: 'queue', weight: 1 },
      { destination: 's2', destinationType: 'queue', weight: 3 },
      { destination: 'fan', destinationType: 'exchange', weight: 1 },
    ]);
    expect(e.hashChoices).toEqual([
      {
        exchange: 'shards',
        queues: ['s1', 's2'],
        options: [
          { destination: 's1', destinationType: 'queue', queues: ['s1'] },
          { destination: 's2', destinationType: 'queue', queues: ['s2'] },
          { destination: 'fan', destinationType: 'exchange', queues: ['s3'] },
        ],
      },
    ]);
    expect(e.outcomes).toEqual([['s1'], ['s2'], ['s3']]);
    expect(e.hops.find((h) => h.exchange === 'fan')?.viaHashChoice).toBe('shards');
  });

  it('explains ignored bindings: a second one to the same queue, a key that is no weight', () => {
    const verdicts =
      explainRoute(doc, { exchange: 'shards', routingKey: 'k' }).hops[0]?.bindings ?? [];
    expect(verdicts[2]?.reason).toContain('already on the hash ring');
    expect(verdicts[4]?.reason).toContain('must be a whole number of at least 1');
    expect(verdicts[0]).toMatchObject({ matched: false, candidate: true });
  });

  it('with a single destination on the ring the choice is certain', () => {
    const e = explainRoute(doc, { exchange: 'one', routingKey: 'k' });
    expect(e).toMatchObject({ queues: ['only'], hashChoices: [] });
    expect(e.outcomes).toBeUndefined();
  });
});

describe('the consistent-hash exchange as route/2 decides', () => {
  it('says what the broker hashes: a header, a property, or the routing key', () => {
    const doc = topology({
      exchanges: [
        exchange('by-header', 'x-consistent-hash', { arguments: { 'hash-header': 'user' } }),
        exchange('by-key', 'x-consistent-hash'),
      ],
      queues: [queue('a'), queue('b')],
      bindings: [
        bind('by-header', 'a', '1'),
        bind('by-header', 'b', '1'),
        bind('by-key', 'a', '1'),
        bind('by-key', 'b', '2'),
      ],
    });
    expect(decisionOf(doc, 'by-header', 'k').verdicts[0]?.reason).toBe(
      "the broker hashes the header 'user' and picks exactly one destination; this one holds 1 of 2 buckets",
    );
    const byKey = decisionOf(doc, 'by-key', 'k');
    expect(byKey.verdicts[1]?.reason).toContain("hashes the routing key 'k'");
    expect(byKey.destinations).toEqual([]);
    expect(byKey.choice?.map((x) => x.name)).toEqual(['a', 'b']);
  });
});
