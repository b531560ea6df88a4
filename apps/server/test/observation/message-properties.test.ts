import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appPerFile, createSession, topicTopology, until } from '../helpers';
import { outsideConnections } from './outside-connections';
import { watch } from './watch';

/**
 * `routed` and `delivered` events carry the properties the firehose traced, and a message key
 * that is the same on a message's routed event and on each of its deliveries, also for
 * identical messages without a message id.
 */

let app: FastifyInstance;
appPerFile((built) => (app = built));
const { connect } = outsideConnections();

describe('message details', () => {
  it('pairs routed and delivered events of identical messages without ids, with their properties', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const connection = await connect(session.amqp.url, 'details script');
    const channel = await connection.createConfirmChannel();
    const headers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`h${i}`, i]));
    const properties = {
      replyTo: 'answers',
      correlationId: 'corr-1',
      contentType: 'text/plain',
      contentEncoding: 'utf-8',
      persistent: true,
      priority: 3,
      expiration: '60000',
      timestamp: 1700000000,
      type: 'order.created',
      appId: 'shop',
      headers: { ...headers, note: 'n'.repeat(300) },
    };
    // The same message twice, to a queue both copies go to, and on to a consumer.
    for (let i = 0; i < 2; i += 1) {
      channel.publish('demo.topic', 'order.critical', Buffer.from('same body'), properties);
    }
    await channel.waitForConfirms();
    const seen: string[] = [];
    await channel.consume('critical', (m) => {
      if (!m) return;
      seen.push(m.content.toString());
      channel.ack(m);
    });
    await until(() => seen.length === 2, 5000, 'both copies consumed');
    const mine = () => client.of('routed').filter((e) => e.properties?.correlationId === 'corr-1');
    await until(() => mine().length === 2, 5000, 'both routed');
    const deliveredOf = (key: string) => client.of('delivered').filter((e) => e.messageKey === key);
    await until(
      () => mine().every((r) => deliveredOf(r.messageKey).length === 1),
      5000,
      'a delivery paired with each routed event',
    );

    const [first, second] = mine();
    expect(first?.messageId).toBeNull();
    expect(first?.messageKey).not.toBe(second?.messageKey);
    expect(first?.routedQueues.sort()).toEqual(['critical', 'orders']);
    // The start of the body travels with the routed event, for the message inspector.
    expect(first?.payload).toEqual({
      size: 9,
      base64: Buffer.from('same body').toString('base64'),
    });
    const expected = {
      replyTo: 'answers',
      correlationId: 'corr-1',
      contentType: 'text/plain',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      priority: 3,
      expiration: '60000',
      timestamp: 1700000000,
      type: 'order.created',
      appId: 'shop',
      headersOmitted: 5,
    };
    expect(first?.properties).toMatchObject(expected);
    expect(Object.keys(first?.properties?.headers ?? {})).toHaveLength(16);
    for (const routed of mine()) {
      const [delivery] = deliveredOf(routed.messageKey);
      expect(delivery).toMatchObject({
        queue: 'critical',
        outsideClientId: routed.outsideClientId,
        properties: expected,
      });
    }
    client.close();
  });
});
