import { describe, expect, it } from 'vitest';
import type { Producer } from '../model';
import { producerMessage, routingKeyFor } from './producer-message';

const producer = (extra: Partial<Producer> = {}): Producer => ({
  id: 'p1',
  name: 'shop',
  exchange: 'orders',
  routingKey: 'order.create',
  payload: 'hello',
  mandatory: false,
  ...extra,
});

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0, 500);
const context = { now: NOW, newId: () => 'generated-id' };

describe('routing key strategies', () => {
  it('fixed: always the routing key, also when no strategy is set', () => {
    expect(routingKeyFor(producer(), 1)).toBe('order.create');
    expect(routingKeyFor(producer({ routingKeyStrategy: { kind: 'fixed' } }), 9)).toBe(
      'order.create',
    );
  });

  it('round-robin: the keys in turn, starting with the first for message 1', () => {
    const p = producer({ routingKeyStrategy: { kind: 'round-robin', keys: ['a', 'b', 'c'] } });
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => routingKeyFor(p, n))).toEqual([
      'a',
      'b',
      'c',
      'a',
      'b',
      'c',
      'a',
    ]);
  });

  it('random: a key of the list chosen by the random source, never outside it', () => {
    const p = producer({ routingKeyStrategy: { kind: 'random', keys: ['a', 'b', 'c'] } });
    expect(routingKeyFor(p, 1, () => 0)).toBe('a');
    expect(routingKeyFor(p, 1, () => 0.5)).toBe('b');
    expect(routingKeyFor(p, 1, () => 0.9999999)).toBe('c');
    expect(routingKeyFor(p, 1, () => 1)).toBe('c');
    const seen = new Set(Array.from({ length: 200 }, (_, i) => routingKeyFor(p, i + 1)));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  it('template: the routing key with the counter filled in', () => {
    const p = producer({
      routingKey: 'sensor.{{n}}.reading',
      routingKeyStrategy: { kind: 'template' },
    });
    expect(routingKeyFor(p, 42)).toBe('sensor.42.reading');
  });
});

describe('producerMessage', () => {
  it('sets only a generated message id and no headers for a bare producer', () => {
    const message = producerMessage(producer(), 1, context);
    expect(message).toEqual({
      n: 1,
      exchange: 'orders',
      routingKey: 'order.create',
      payload: 'hello',
      mandatory: false,
      properties: { messageId: 'generated-id', headers: {} },
    });
  });

  it('fills the payload template with the counter, the message id, the key and the time', () => {
    const p = producer({
      payload: '{"n":{{n}},"id":"{{messageId}}","key":"{{routingKey}}","at":"{{timestamp}}"}',
      routingKeyStrategy: { kind: 'round-robin', keys: ['x', 'y'] },
    });
    const message = producerMessage(p, 2, context);
    expect(message.payload).toBe(
      '{"n":2,"id":"generated-id","key":"y","at":"2024-06-01T12:00:00.500Z"}',
    );
  });

  it('maps every basic property, rendering the text ones as templates', () => {
    const p = producer({
      mandatory: true,
      headers: { tenant: 'acme', seq: 'n={{n}}', level: 3, urgent: true },
      properties: {
        persistent: true,
        expiration: '60000',
        priority: 5,
        messageId: 'order-{{n}}',
        correlationId: 'corr-{{messageId}}',
        replyTo: 'replies',
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        type: 'order.created',
        appId: 'shop-{{n}}',
        timestamp: true,
      },
    });
    const message = producerMessage(p, 3, context);
    expect(message.mandatory).toBe(true);
    expect(message.properties).toEqual({
      messageId: 'order-3',
      deliveryMode: 2,
      expiration: '60000',
      priority: 5,
      correlationId: 'corr-order-3',
      replyTo: 'replies',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      type: 'order.created',
      appId: 'shop-3',
      timestamp: Math.floor(NOW / 1000),
      headers: { tenant: 'acme', seq: 'n=3', level: 3, urgent: true },
    });
  });

  it('marks messages transient when persistent is off, and generates an id for an empty template', () => {
    const message = producerMessage(
      producer({ properties: { persistent: false, messageId: '' } }),
      1,
      context,
    );
    expect(message.properties.deliveryMode).toBe(1);
    expect(message.properties.messageId).toBe('generated-id');
  });
});
