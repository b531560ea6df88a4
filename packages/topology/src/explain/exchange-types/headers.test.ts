import { describe, expect, it } from 'vitest';
import { explainRoute } from '../explain';
import { bind, decisionOf, exchange, queue, topology } from '../test-fixtures';

describe('headers exchange', () => {
  const doc = topology({
    exchanges: [exchange('docs', 'headers')],
    queues: [queue('pdf'), queue('any'), queue('tenant'), queue('everything')],
    bindings: [
      bind('docs', 'pdf', 'ignored', { 'x-match': 'all', format: 'pdf', size: 1 }),
      bind('docs', 'any', '', { 'x-match': 'any', format: 'pdf', kind: 'report' }),
      bind('docs', 'tenant', '', { 'x-match': 'all-with-x', 'x-tenant': 'acme' }),
      bind('docs', 'everything', '', { 'x-match': 'all', 'x-tenant': 'acme' }),
    ],
  });

  it('routes by headers, never by routing key', () => {
    const e = explainRoute(doc, {
      exchange: 'docs',
      routingKey: 'whatever',
      headers: { format: 'pdf', size: 1, 'x-tenant': 'acme' },
    });
    expect(e.queues).toEqual(['any', 'everything', 'pdf', 'tenant']);
    expect(e.hops[0]?.bindings[0]?.headers).toEqual({
      mode: 'all',
      checks: [
        { key: 'format', expected: 'pdf', present: true, actual: 'pdf', ok: true },
        { key: 'size', expected: 1, present: true, actual: 1, ok: true },
      ],
    });
  });

  it('a binding with only x- arguments in mode all matches any message', () => {
    const e = explainRoute(doc, { exchange: 'docs', routingKey: '' });
    expect(e.queues).toEqual(['everything']);
  });

  it('types matter: 1 is not "1"', () => {
    const e = explainRoute(doc, {
      exchange: 'docs',
      routingKey: '',
      headers: { format: 'pdf', size: '1' },
    });
    expect(e.queues).toEqual(['any', 'everything']);
  });
});

describe('the headers exchange as route/2 decides', () => {
  it('shows the checks of a binding whose x-match the broker refuses, and routes nothing', () => {
    const doc = topology({
      exchanges: [exchange('docs', 'headers')],
      queues: [queue('q')],
      bindings: [bind('docs', 'q', '', { 'x-match': 'some', k: 1 })],
    });
    const d = decisionOf(doc, 'docs', '', { k: 1 });
    expect(d.destinations).toEqual([]);
    expect(d.verdicts[0]?.matched).toBe(false);
    expect(d.verdicts[0]?.reason).toContain("x-match 'some' is not one of");
    expect(d.verdicts[0]?.headers?.checks).toEqual([
      { key: 'k', expected: 1, present: true, actual: 1, ok: true },
    ]);
  });
});
