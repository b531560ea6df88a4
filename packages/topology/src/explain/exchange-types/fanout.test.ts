import { describe, expect, it } from 'vitest';
import { explainRoute } from '../explain';
import { bind, decisionOf, exchange, queue, topology } from '../test-fixtures';

describe('fanout exchanges, the built-in one too', () => {
  const doc = topology({
    exchanges: [exchange('news', 'fanout')],
    queues: [queue('a'), queue('c')],
    bindings: [bind('news', 'a', 'ignored'), bind('news', 'c'), bind('amq.fanout', 'c')],
  });

  it('fanout: every binding, whatever the key', () => {
    expect(explainRoute(doc, { exchange: 'news', routingKey: 'x' }).queues).toEqual(['a', 'c']);
  });

  it('built-in amq.fanout routes as a fanout', () => {
    expect(explainRoute(doc, { exchange: 'amq.fanout', routingKey: '' }).queues).toEqual(['c']);
  });

  it('route/2: every binding matches and says the key does not matter', () => {
    const d = decisionOf(doc, 'news', 'anything');
    expect(d.verdicts.map((v) => v.matched)).toEqual([true, true]);
    expect(d.verdicts[0]?.reason).toContain('the routing key does not matter');
    expect(d.destinations.map((x) => x.name)).toEqual(['a', 'c']);
  });
});
