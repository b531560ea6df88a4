import { describe, expect, it } from 'vitest';
import { explainRoute, type ExplainMessage } from '@warren/topology';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { disagreement, expectedPublish } from './agreement';

const doc = topology({
  exchanges: [
    exchange('jobs', 'direct'),
    exchange('shards', 'x-consistent-hash'),
    exchange('hidden', 'fanout', { internal: true }),
  ],
  queues: [queue('a'), queue('b')],
  bindings: [binding('jobs', 'a', 'k'), binding('shards', 'a', '1'), binding('shards', 'b', '1')],
});

const check = (message: ExplainMessage, observed: Parameters<typeof disagreement>[1]) =>
  disagreement(expectedPublish(explainRoute(doc, message), message), observed, message);

describe('Warren against the explainer, publish by publish', () => {
  it('agrees on exactly the predicted routed queues, in any order', () => {
    const message = { exchange: 'jobs', routingKey: 'k' };
    expect(check(message, { status: 200, routedQueues: ['a'], returned: false })).toBeUndefined();
    expect(check(message, { status: 200, routedQueues: ['a', 'b'], returned: false })).toBe(
      'routed to [a, b], expected [a]',
    );
  });

  it('expects only queues that exist: the default exchange to a name no queue has routes nowhere', () => {
    const message = { exchange: '', routingKey: 'nope', mandatory: true };
    expect(check(message, { status: 200, routedQueues: [], returned: true })).toBeUndefined();
    expect(check(message, { status: 200, routedQueues: ['nope'], returned: true })).toBe(
      'routed to [nope], expected []',
    );
  });

  it('expects a return exactly when a mandatory message reaches no queue', () => {
    const message = { exchange: 'jobs', routingKey: 'x', mandatory: true };
    expect(check(message, { status: 200, routedQueues: [], returned: true })).toBeUndefined();
    expect(check(message, { status: 200, routedQueues: [], returned: false })).toBe(
      'routed to [] and returned=false, expected returned=true',
    );
  });

  it('accepts one pick of a consistent-hash exchange, and not two', () => {
    const message = { exchange: 'shards', routingKey: 'k' };
    expect(check(message, { status: 200, routedQueues: ['b'], returned: false })).toBeUndefined();
    expect(check(message, { status: 200, routedQueues: ['a', 'b'], returned: false })).toBe(
      'routed to [a, b], expected [a] or [b]',
    );
  });

  it('expects the refusal Warren maps from the broker: status and code', () => {
    const missing = { exchange: 'nowhere', routingKey: '' };
    expect(check(missing, { status: 404, code: 'BROKER_NOT_FOUND' })).toBeUndefined();
    expect(check(missing, { status: 200, routedQueues: [], returned: false })).toBe(
      'expected 404 BROKER_NOT_FOUND, Warren answered 200',
    );
    const internal = { exchange: 'hidden', routingKey: '' };
    expect(check(internal, { status: 403, code: 'ACCESS_REFUSED' })).toBeUndefined();
    expect(
      check({ exchange: 'jobs', routingKey: 'k' }, { status: 504, code: 'PUBLISH_TIMEOUT' }),
    ).toBe('expected the broker to route it, Warren answered 504 PUBLISH_TIMEOUT');
  });

  it('with too many hash combinations to list, holds the certain queues and no others', () => {
    const expected = { within: { certain: ['a'], possible: ['a', 'b'] } };
    const message = { exchange: 'x', routingKey: '' };
    expect(
      disagreement(expected, { status: 200, routedQueues: ['b', 'a'] }, message),
    ).toBeUndefined();
    expect(disagreement(expected, { status: 200, routedQueues: ['b'] }, message)).toBe(
      'routed to [b]: expected all of [a] and nothing beyond [a, b]',
    );
    expect(disagreement(expected, { status: 200, routedQueues: ['a', 'c'] }, message)).toContain(
      'nothing beyond',
    );
  });
});
