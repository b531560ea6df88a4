import { describe, expect, it } from 'vitest';
import { explainRoute } from './explain';
import { bind, exchange, policy, queue, topology } from './test-fixtures';
import type { Explanation, LaterFate } from './types';

const fateOf = (e: Explanation, queueName: string, kind: LaterFate['kind']) =>
  e.fates.find((f) => f.queue === queueName)?.later.find((l) => l.kind === kind);

describe('message TTL', () => {
  const doc = topology({
    exchanges: [exchange('dlx', 'direct')],
    queues: [
      queue('work', { arguments: { 'x-message-ttl': 5000, 'x-dead-letter-exchange': 'dlx' } }),
      queue('plain'),
      queue('retry'),
      queue('zero', { arguments: { 'x-message-ttl': 0 } }),
    ],
    bindings: [bind('dlx', 'retry', 'work')],
  });

  it("the queue's TTL applies, and expiry dead-letters with the message's own routing key", () => {
    const e = explainRoute(doc, { exchange: '', routingKey: 'work' });
    const expiry = fateOf(e, 'work', 'expires');
    expect(expiry).toMatchObject({
      reason: 'expired',
      afterMs: 5000,
      deadLetter: { exchange: 'dlx', routingKey: 'work' },
    });
    expect(expiry?.deadLetter?.route?.queues).toEqual(['retry']);
    expect(expiry?.text).toBe(
      "If no consumer takes it within 5000 ms (the message TTL of 'work'), it expires and is dead-lettered (reason expired) to 'dlx' with its own routing key 'work', which takes it to 'retry'.",
    );
  });

  it('the lower of the per-message expiration and the queue TTL wins', () => {
    const shorter = explainRoute(doc, {
      exchange: '',
      routingKey: 'work',
      properties: { expiration: '1000' },
    });
    expect(fateOf(shorter, 'work', 'expires')).toMatchObject({ afterMs: 1000 });
    expect(fateOf(shorter, 'work', 'expires')?.text).toContain('its own expiration');
    const longer = explainRoute(doc, {
      exchange: '',
      routingKey: 'work',
      properties: { expiration: '9000' },
    });
    expect(fateOf(longer, 'work', 'expires')).toMatchObject({ afterMs: 5000 });
    const ownOnly = explainRoute(doc, {
      exchange: '',
      routingKey: 'plain',
      properties: { expiration: '20' },
    });
    expect(fateOf(ownOnly, 'plain', 'expires')).toMatchObject({ afterMs: 20 });
    expect(fateOf(ownOnly, 'plain', 'expires')?.deadLetter).toBeUndefined();
    expect(fateOf(ownOnly, 'plain', 'expires')?.text).toContain(
      "is dropped: 'plain' has no dead-letter exchange",
    );
  });

  it('a TTL of 0 expires at once unless a consumer is waiting', () => {
    const e = explainRoute(doc, { exchange: '', routingKey: 'zero' });
    expect(fateOf(e, 'zero', 'expires')?.text).toContain(
      'unless a consumer is ready to take it at once',
    );
  });

  it('a policy sets the TTL when lower than the argument, and names itself', () => {
    const withPolicy = topology({
      ...doc,
      policies: [policy('short', '^work$', { 'message-ttl': 100 }, { applyTo: 'queues' })],
    });
    const e = explainRoute(withPolicy, { exchange: '', routingKey: 'work' });
    expect(fateOf(e, 'work', 'expires')).toMatchObject({ afterMs: 100 });
    expect(fateOf(e, 'work', 'expires')?.text).toContain("from policy 'short'");
  });

  it('the dead-lettered copy has no expiration any more', () => {
    const chain = topology({
      exchanges: [exchange('dlx', 'fanout')],
      queues: [
        queue('first', { arguments: { 'x-dead-letter-exchange': 'dlx', 'x-message-ttl': 10 } }),
        queue('second'),
      ],
      bindings: [bind('dlx', 'second')],
    });
    const e = explainRoute(chain, {
      exchange: '',
      routingKey: 'first',
      properties: { expiration: '5' },
    });
    const route = fateOf(e, 'first', 'expires')?.deadLetter?.route;
    expect(route?.message.properties?.expiration).toBeUndefined();
    expect(fateOf(route as Explanation, 'second', 'expires')).toBeUndefined();
  });
});

describe('max length and overflow', () => {
  const doc = topology({
    exchanges: [exchange('dlx', 'fanout')],
    queues: [
      queue('head', { arguments: { 'x-max-length': 2, 'x-dead-letter-exchange': 'dlx' } }),
      queue('refuse', {
        arguments: {
          'x-max-length': 2,
          'x-overflow': 'reject-publish',
          'x-dead-letter-exchange': 'dlx',
        },
      }),
      queue('refuse-dlx', {
        arguments: {
          'x-max-length-bytes': 100,
          'x-overflow': 'reject-publish-dlx',
          'x-dead-letter-exchange': 'dlx',
        },
      }),
      queue('quorum', {
        arguments: {
          'x-queue-type': 'quorum',
          'x-max-length': 1,
          'x-overflow': 'reject-publish',
        },
      }),
      queue('empty', { arguments: { 'x-max-length': 0 } }),
      queue('parking'),
    ],
    bindings: [bind('dlx', 'parking')],
  });

  it('drop-head dead-letters the oldest message with reason maxlen', () => {
    const fate = fateOf(
      explainRoute(doc, { exchange: '', routingKey: 'head' }),
      'head',
      'overflow',
    );
    expect(fate).toMatchObject({ reason: 'maxlen', deadLetter: { exchange: 'dlx' } });
    expect(fate?.text).toContain('while this one is the oldest, it is dropped from the head');
    expect(fate?.deadLetter?.route?.queues).toEqual(['parking']);
  });

  it('reject-publish refuses the new message and does not dead-letter it', () => {
    const fate = fateOf(
      explainRoute(doc, { exchange: '', routingKey: 'refuse' }),
      'refuse',
      'overflow',
    );
    expect(fate?.deadLetter).toBeUndefined();
    expect(fate?.text).toContain('basic.nack');
    expect(fate?.text).toContain('neither stored nor dead-lettered');
  });

  it('reject-publish-dlx refuses the new message and dead-letters it', () => {
    const e = explainRoute(doc, { exchange: '', routingKey: 'refuse-dlx', payloadBytes: 10 });
    const fate = fateOf(e, 'refuse-dlx', 'overflow');
    expect(fate).toMatchObject({ reason: 'maxlen', deadLetter: { exchange: 'dlx' } });
    expect(fate?.text).toContain('100 bytes of message bodies');
    const tooBig = explainRoute(doc, { exchange: '', routingKey: 'refuse-dlx', payloadBytes: 500 });
    expect(fateOf(tooBig, 'refuse-dlx', 'overflow')?.text).toContain('never fits');
  });

  it('a quorum queue lets a policy overflow win over the argument', () => {
    const withPolicy = topology({
      ...doc,
      policies: [policy('qq', '^quorum$', { overflow: 'drop-head' }, { applyTo: 'queues' })],
    });
    const fate = fateOf(
      explainRoute(withPolicy, { exchange: '', routingKey: 'quorum' }),
      'quorum',
      'overflow',
    );
    expect(fate?.text).toContain("overflow drop-head from policy 'qq'");
  });

  it('a queue that holds nothing drops the message unless a consumer takes it at once', () => {
    const fate = fateOf(
      explainRoute(doc, { exchange: '', routingKey: 'empty' }),
      'empty',
      'overflow',
    );
    expect(fate?.text).toContain('does not fit');
  });
});

describe('rejection and dead-letter routing', () => {
  const doc = topology({
    exchanges: [exchange('dlx', 'direct'), exchange('ghost-dlx', 'direct')],
    queues: [
      queue('work', {
        arguments: { 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'retry' },
      }),
      queue('broken', { arguments: { 'x-dead-letter-exchange': 'missing' } }),
      queue('retry'),
      queue('by-default', {
        arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'retry' },
      }),
    ],
    bindings: [bind('dlx', 'retry', 'retry')],
  });

  it('a rejected message goes to the dead-letter exchange with the override routing key', () => {
    const fate = fateOf(
      explainRoute(doc, { exchange: '', routingKey: 'work' }),
      'work',
      'rejected',
    );
    expect(fate).toMatchObject({
      reason: 'rejected',
      deadLetter: { exchange: 'dlx', routingKey: 'retry' },
    });
    expect(fate?.deadLetter?.route?.queues).toEqual(['retry']);
    expect(fate?.text).toContain('x-dead-letter-routing-key');
    const copy = fate?.deadLetter?.route?.message;
    expect(copy?.headers?.['x-first-death-reason']).toBe('rejected');
    expect(copy?.headers?.['x-death']).toEqual([
      { count: 1, reason: 'rejected', queue: 'work', exchange: '', 'routing-keys': ['work'] },
    ]);
  });

  it('a dead-letter exchange that does not exist drops the message', () => {
    const fate = fateOf(
      explainRoute(doc, { exchange: '', routingKey: 'broken' }),
      'broken',
      'rejected',
    );
    expect(fate?.deadLetter).toBeUndefined();
    expect(fate?.text).toContain("its dead-letter exchange 'missing' does not exist");
  });

  it('the default exchange can be the dead-letter exchange', () => {
    const fate = fateOf(
      explainRoute(doc, { exchange: '', routingKey: 'by-default' }),
      'by-default',
      'rejected',
    );
    expect(fate?.deadLetter?.route?.queues).toEqual(['retry']);
  });

  it('dead-letters into a headers exchange that looks at x-first-death-reason', () => {
    const byReason = topology({
      exchanges: [exchange('why', 'headers')],
      queues: [
        queue('src', { arguments: { 'x-dead-letter-exchange': 'why', 'x-message-ttl': 10 } }),
        queue('expired'),
        queue('rejected'),
      ],
      bindings: [
        bind('why', 'expired', '', { 'x-match': 'all-with-x', 'x-first-death-reason': 'expired' }),
        bind('why', 'rejected', '', {
          'x-match': 'all-with-x',
          'x-first-death-reason': 'rejected',
        }),
      ],
    });
    const e = explainRoute(byReason, { exchange: '', routingKey: 'src' });
    expect(fateOf(e, 'src', 'expires')?.deadLetter?.route?.queues).toEqual(['expired']);
    expect(fateOf(e, 'src', 'rejected')?.deadLetter?.route?.queues).toEqual(['rejected']);
  });
});

describe('dead-letter cycles and depth', () => {
  it('drops an expired copy that would come back to its own queue, but not a rejected one', () => {
    const doc = topology({
      exchanges: [exchange('dlx', 'fanout')],
      queues: [
        queue('loop', { arguments: { 'x-message-ttl': 100, 'x-dead-letter-exchange': 'dlx' } }),
      ],
      bindings: [bind('dlx', 'loop')],
    });
    const e = explainRoute(doc, { exchange: '', routingKey: 'loop' });
    const expiry = fateOf(e, 'loop', 'expires');
    expect(expiry?.deadLetter?.cycle).toEqual(['loop']);
    expect(expiry?.deadLetter?.route?.queues).toEqual([]);
    expect(expiry?.text).toContain('dead-letter cycle');
    const rejected = fateOf(e, 'loop', 'rejected');
    expect(rejected?.deadLetter?.cycle).toBeUndefined();
    expect(rejected?.deadLetter?.route?.queues).toEqual(['loop']);
    // Back in the same queue the same fates apply again; they are not spelled out twice.
    expect(rejected?.deadLetter?.route?.fates[0]?.later).toEqual([]);
  });

  it('finds a longer cycle through two queues', () => {
    const doc = topology({
      exchanges: [exchange('to-b', 'fanout'), exchange('to-a', 'fanout')],
      queues: [
        queue('a', { arguments: { 'x-message-ttl': 10, 'x-dead-letter-exchange': 'to-b' } }),
        queue('b', { arguments: { 'x-message-ttl': 10, 'x-dead-letter-exchange': 'to-a' } }),
      ],
      bindings: [bind('to-b', 'b'), bind('to-a', 'a')],
    });
    const e = explainRoute(doc, { exchange: '', routingKey: 'a' });
    const toB = fateOf(e, 'a', 'expires')?.deadLetter?.route as Explanation;
    expect(toB.queues).toEqual(['b']);
    const backToA = fateOf(toB, 'b', 'expires')?.deadLetter;
    expect(backToA?.cycle).toEqual(['a']);
    expect(backToA?.route?.queues).toEqual([]);
  });

  it('stops following dead-lettering at the depth limit', () => {
    const doc = topology({
      exchanges: [exchange('d1', 'fanout'), exchange('d2', 'fanout')],
      queues: [
        queue('q0', { arguments: { 'x-dead-letter-exchange': 'd1' } }),
        queue('q1', { arguments: { 'x-dead-letter-exchange': 'd2' } }),
        queue('q2'),
      ],
      bindings: [bind('d1', 'q1'), bind('d2', 'q2')],
    });
    const shallow = explainRoute(
      doc,
      { exchange: '', routingKey: 'q0' },
      { maxDeadLetterDepth: 1 },
    );
    const first = fateOf(shallow, 'q0', 'rejected')?.deadLetter;
    expect(first?.route?.queues).toEqual(['q1']);
    const second = fateOf(first?.route as Explanation, 'q1', 'rejected');
    expect(second?.deadLetter).toMatchObject({ exchange: 'd2' });
    expect(second?.deadLetter?.route).toBeUndefined();
    expect(second?.text).toContain('not followed further');
  });
});
