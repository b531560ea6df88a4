import { describe, expect, it } from 'vitest';
import {
  contentHash,
  hashText,
  Generations,
  MessageKeys,
  payloadPreview,
  traceProperties,
  xDeath,
} from '../../src/observation/message-details';

/** The pure parts of message details: traced properties and the keys that pair events. */

describe('traceProperties', () => {
  it('reads the AMQP properties the firehose traced, in camelCase', () => {
    expect(
      traceProperties({
        reply_to: 'amq.rabbitmq.reply-to.g1h2',
        correlation_id: Buffer.from('c-1'),
        message_id: 'm-1',
        content_type: 'application/json',
        content_encoding: 'utf-8',
        delivery_mode: 2,
        priority: 5,
        expiration: '60000',
        timestamp: 1700000000,
        type: 'order.created',
        app_id: 'shop',
        user_id: 'guest',
        headers: { tenant: 'eu', attempt: 3, urgent: true },
      }),
    ).toEqual({
      replyTo: 'amq.rabbitmq.reply-to.g1h2',
      correlationId: 'c-1',
      messageId: 'm-1',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      priority: 5,
      expiration: '60000',
      timestamp: 1700000000,
      type: 'order.created',
      appId: 'shop',
      userId: 'guest',
      headers: { tenant: 'eu', attempt: 3, urgent: true },
    });
  });

  it('is undefined for a message without properties, and leaves empty headers out', () => {
    expect(traceProperties({})).toBeUndefined();
    expect(traceProperties({ headers: {} })).toBeUndefined();
  });

  it('keeps at most 16 headers, cuts long values and says how many were left out', () => {
    const headers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`h${i}`, i]));
    headers.h0 = 'x'.repeat(500) as unknown as number;
    const props = traceProperties({ headers });
    expect(Object.keys(props?.headers ?? {})).toHaveLength(16);
    expect(props?.headersOmitted).toBe(4);
    const first = props?.headers?.h0;
    expect(typeof first === 'string' && first.length).toBe(200);
    expect(String(first).endsWith('…')).toBe(true);
  });

  it('shows nested tables (x-death) as JSON text', () => {
    const props = traceProperties({
      headers: { 'x-death': [{ queue: Buffer.from('work'), reason: 'rejected', count: 1 }] },
    });
    expect(props?.headers?.['x-death']).toBe('[{"queue":"work","reason":"rejected","count":1}]');
  });

  it('reads x-death as a table too, however long, at most 10 entries', () => {
    const entry = (queue: string) => ({
      count: 2,
      reason: 'expired',
      queue: Buffer.from(queue),
      time: { '!': 'timestamp', value: 1700000000 },
      exchange: 'retry',
      'routing-keys': [Buffer.from('work'), 'again'],
    });
    const props = traceProperties({ headers: { 'x-death': [entry('delay'), entry('work')] } });
    expect(props?.xDeath).toEqual([
      {
        queue: 'delay',
        reason: 'expired',
        count: 2,
        exchange: 'retry',
        routingKeys: ['work', 'again'],
        time: 1700000000,
      },
      {
        queue: 'work',
        reason: 'expired',
        count: 2,
        exchange: 'retry',
        routingKeys: ['work', 'again'],
        time: 1700000000,
      },
    ]);
    expect(xDeath(Array.from({ length: 15 }, (_, i) => entry(`q${i}`)))).toHaveLength(10);
    expect(xDeath('not a table')).toBeUndefined();
    expect(xDeath([])).toBeUndefined();
  });
});

describe('payloadPreview', () => {
  it('carries the first 512 bytes in base64 and the whole size', () => {
    expect(payloadPreview(Buffer.from('hello'))).toEqual({ size: 5, base64: 'aGVsbG8=' });
    const big = payloadPreview(Buffer.alloc(2000, 1));
    expect(big.size).toBe(2000);
    expect(Buffer.from(big.base64, 'base64')).toHaveLength(512);
  });
});

const content = (body: string, props: Record<string, unknown> = {}) =>
  contentHash({ exchange: 'x', routingKeys: ['k'], properties: props, body: Buffer.from(body) });

describe('MessageKeys', () => {
  it('hashes equal content alike, whatever the order of its properties', () => {
    expect(content('a', { a: 1, b: 2 })).toBe(content('a', { b: 2, a: 1 }));
    expect(content('a')).not.toBe(content('b'));
    expect(content('a', { headers: { n: 1 } })).not.toBe(content('a', { headers: { n: 2 } }));
  });

  it('gives identical messages their own keys, and each delivery the key of its message', () => {
    const keys = new MessageKeys();
    const hash = content('same');
    const first = keys.published(hash, ['q1', 'q2']);
    const second = keys.published(hash, ['q1']);
    expect(first).not.toBe(second);
    // Each queue hands out its copies in order.
    expect(keys.delivery('q2', hash, false).key).toBe(first);
    expect(keys.delivery('q1', hash, false).key).toBe(first);
    expect(keys.delivery('q1', hash, false).key).toBe(second);
  });

  it('names a redelivery with the key delivered before', () => {
    const keys = new MessageKeys();
    const hash = content('again');
    const key = keys.published(hash, ['q']);
    expect(keys.delivery('q', hash, false).key).toBe(key);
    expect(keys.delivery('q', hash, true).key).toBe(key);
  });

  it('keeps a steady flow of messages in bounded memory: deliveries are remembered for minutes', () => {
    let now = 0;
    const keys = new MessageKeys(() => now);
    const first = keys.published(content('m0'), ['q']);
    expect(keys.delivery('q', content('m0'), false).key).toBe(first);
    // A redelivery a minute later still gets its key…
    now = 60_000;
    expect(keys.delivery('q', content('m0'), true).key).toBe(first);
    // …one long after (a thousand messages a second flowed meanwhile) gets one of its own.
    for (let i = 1; i <= 3000; i += 1) {
      now += 100;
      const hash = content(`m${i}`);
      keys.published(hash, ['q']);
      keys.delivery('q', hash, false);
    }
    expect(keys.delivery('q', content('m0'), true).key).not.toBe(first);
  });

  it('never gives two messages the same key, however many identical ones came before', () => {
    const keys = new MessageKeys();
    const hash = content('same');
    const all = Array.from({ length: 50_000 }, () => keys.published(hash, []));
    expect(new Set(all).size).toBe(all.length);
  });

  it('pairs identical messages published on either side of a generation ending, once each', () => {
    let now = 0;
    const keys = new MessageKeys(() => now);
    const hash = content('same');
    const first = keys.published(hash, ['q']);
    // Ten minutes on, the first is in the previous generation when the second comes.
    now = 10 * 60_000 + 1;
    const second = keys.published(hash, ['q']);
    expect(keys.delivery('q', hash, false).key).toBe(first);
    expect(keys.delivery('q', hash, false).key).toBe(second);
    expect(keys.delivery('q', hash, false).unmatched).toBe(true);
  });

  it('writes a hash as 14 hex digits', () => {
    expect(hashText(content('a'))).toMatch(/^[0-9a-f]{14}$/);
    expect(hashText(0)).toBe('00000000000000');
    expect(hashText(2 ** 53 - 1)).toBe('1fffffffffffff');
  });

  it('gives a delivery of a message never seen published a key of its own', () => {
    const keys = new MessageKeys();
    const hash = content('old');
    const a = keys.delivery('q', hash, false).key;
    const b = keys.delivery('q', hash, false).key;
    expect(a).not.toBe(b);
    expect(a.startsWith(hashText(hash))).toBe(true);
  });
});

describe('Generations', () => {
  it('keeps at most two generations of entries, forgetting the oldest in bulk', () => {
    const map = new Generations<string, number>(3);
    for (let i = 0; i < 7; i += 1) map.set(`k${i}`, i);
    // k6 alone in the current generation, k3..k5 in the previous; k0..k2 forgotten.
    expect(map.size).toBe(4);
    expect(map.get('k0')).toBeUndefined();
    expect(map.get('k3')).toBe(3);
    expect(map.get('k6')).toBe(6);
    map.delete('k3');
    expect(map.get('k3')).toBeUndefined();
  });

  it('forgets a generation once it is too old, and everything after twice that', () => {
    let now = 0;
    const map = new Generations<string, number>(1000, 60_000, () => now);
    map.set('a', 1);
    now = 59_000;
    map.set('b', 2);
    now = 61_000;
    // 'a' and 'b' are now the previous generation: still known.
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, 2, 3]);
    now = 121_000;
    expect(map.get('a')).toBeUndefined();
    expect(map.get('c')).toBe(3);
    now = 300_000;
    expect(map.size).toBe(0);
  });

  it('pairs deliveries with their messages across many queues and contents', () => {
    const keys = new MessageKeys();
    const published = Array.from({ length: 30_000 }, (_, i) =>
      keys.published(content(`m${i}`), ['a', 'b']),
    );
    // The newest are still paired; memory stays bounded however many came before.
    expect(keys.delivery('b', content('m29999'), false).key).toBe(published[29_999]);
    expect(keys.delivery('a', content('m20000'), false).key).toBe(published[20_000]);
  });
});
