import { describe, expect, it } from 'vitest';
import { explainRoute } from '../explain';
import { bind, decisionOf, exchange, queue, topology } from '../test-fixtures';

describe('direct exchanges, the built-in ones too', () => {
  const doc = topology({
    exchanges: [exchange('jobs', 'direct')],
    queues: [queue('a'), queue('b'), queue('c')],
    bindings: [
      bind('jobs', 'a', 'resize'),
      bind('jobs', 'b', 'resize'),
      bind('jobs', 'c', 'encode'),
      bind('amq.direct', 'b', 'k'),
    ],
  });

  it('direct: every binding whose key equals the routing key', () => {
    const e = explainRoute(doc, { exchange: 'jobs', routingKey: 'resize' });
    expect(e.queues).toEqual(['a', 'b']);
    const verdicts = e.hops[0]?.bindings ?? [];
    expect(verdicts.map((v) => v.matched)).toEqual([true, true, false]);
    expect(verdicts[2]?.reason).toBe("binding key 'encode' ≠ routing key 'resize'");
  });

  it('built-in amq.* exchanges route with their own type', () => {
    expect(explainRoute(doc, { exchange: 'amq.direct', routingKey: 'k' }).queues).toEqual(['b']);
    expect(explainRoute(doc, { exchange: 'amq.topic', routingKey: 'k' })).toMatchObject({
      queues: [],
      unroutable: true,
    });
  });

  it('CC and BCC headers add routing keys', () => {
    const e = explainRoute(doc, {
      exchange: 'jobs',
      routingKey: 'nothing',
      headers: { CC: ['encode'], BCC: ['resize'] },
    });
    expect(e.queues).toEqual(['a', 'b', 'c']);
  });

  it('route/2: a binding to a missing queue is no binding at all', () => {
    const missing = topology({
      exchanges: [exchange('jobs', 'direct')],
      queues: [queue('a')],
      bindings: [bind('jobs', 'a', 'k'), bind('jobs', 'gone', 'k')],
    });
    const d = decisionOf(missing, 'jobs', 'k');
    expect(d.destinations.map((x) => x.name)).toEqual(['a']);
    expect(d.verdicts[1]).toMatchObject({ matched: false, destination: 'gone' });
    expect(d.verdicts[1]?.reason).toContain("the queue 'gone' does not exist");
  });

  it('route/2: with CC keys, says which keys a binding missed', () => {
    const d = decisionOf(
      topology({
        exchanges: [exchange('jobs')],
        queues: [queue('a')],
        bindings: [bind('jobs', 'a', 'x')],
      }),
      'jobs',
      ['k', 'l'],
    );
    expect(d.verdicts[0]?.reason).toBe("binding key 'x' is none of the routing keys 'k', 'l'");
  });
});
