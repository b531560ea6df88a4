import amqplib from 'amqplib';
import { expect, test } from '../fixtures';
import { MessageInspector } from '../pages/message-inspector';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * A program outside Warren publishes whatever it likes: markup, control characters, bytes that
 * are not text. The message inspector shows all of it as text, and a message that was
 * rejected into a dead-letter queue with its x-death history.
 */

test('outside data is shown as text, binary as hex, and a dead-lettered message with its x-death', async ({
  page,
}, testInfo) => {
  const topology = ordersTopology();
  topology.queues.push({
    id: 'q-parked',
    name: 'parked',
    durable: true,
    exclusive: false,
    autoDelete: false,
    position: { x: 700, y: 360 },
  });
  const orders = topology.queues[0];
  if (!orders) throw new Error('no queue');
  orders.arguments = { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'parked' };
  const session = await openSession(page, topology);
  const client = await amqplib.connect(session.amqp.url, {
    clientProperties: { connection_name: 'mischief' },
  });
  client.on('error', () => undefined);
  try {
    const channel = await client.createConfirmChannel();
    const markup = '<img src=x onerror="window.__pwned=1">\u202Egnp.exe';
    channel.publish('orders', 'new', Buffer.from(markup), {
      messageId: 'markup-1',
      headers: { note: '<b>bold</b>', tenant: 'eu' },
    });
    channel.publish('orders', 'new', Buffer.from([0xff, 0x00, 0x41, 0x10, 0xfe]), {
      messageId: 'bytes-1',
    });
    await channel.waitForConfirms();
    // The first goes back with a reject, into `parked`; then both are read.
    const worker = await client.createChannel();
    await worker.consume('order.q', (m) => {
      if (!m) return;
      if (m.properties.messageId === 'markup-1') worker.reject(m, false);
      else worker.ack(m);
    });
    const reader = await client.createChannel();
    await reader.consume('parked', (m) => m && reader.ack(m));

    const inspector = new MessageInspector(page);
    await inspector.open();
    await inspector.filterKey('new');
    await expect(inspector.rows).toHaveCount(2);

    // Markup and a right-to-left override, as the characters they are.
    // Newest first: the markup went first, so it is last.
    await inspector.rows.last().click();
    const payload = inspector.detail.getByTestId('message-payload');
    await expect(payload).toHaveText('<img src=x onerror="window.__pwned=1">\\u{202e}gnp.exe');
    await expect(inspector.detail.locator('img')).toHaveCount(0);
    await expect(inspector.detail.getByTestId('message-headers')).toContainText('<b>bold</b>');
    await expect(inspector.detail.locator('b')).toHaveCount(0);
    expect(await page.evaluate(() => 'window.__pwned' in window || '__pwned' in window)).toBe(
      false,
    );

    // Rejected into `parked`: the x-death history as a table.
    await expect(inspector.detail.getByTestId('message-x-death')).toContainText('order.q');
    const death = inspector.detail.getByTestId('message-x-death').locator('tbody tr').first();
    await expect(death.locator('td').nth(1)).toHaveText('rejected');
    await expect(death.locator('td').nth(2)).toHaveText('1');
    await expect(inspector.detail).toContainText('dead-lettered from order.q (rejected)');
    await page.screenshot({ path: testInfo.outputPath('dead-lettered.png') });

    // Bytes that are not text: a hex dump.
    await inspector.rows.first().click();
    await expect(inspector.detail).toContainText('Binary, as hex (5 bytes)');
    await expect(inspector.detail.getByTestId('message-payload')).toHaveText(
      /^00000000 {2}ff 00 41 10 fe +\|\.\.A\.\.\|$/,
    );

    // The outcome filter finds the dead-lettered one; the client filter both.
    await inspector.filterOutcome('dead-lettered');
    await expect(inspector.rows).toHaveCount(1);
    await inspector.filterOutcome('');
    await inspector.filterClient('mischief');
    await expect(inspector.rows).toHaveCount(2);
  } finally {
    await client.close().catch(() => undefined);
    await closeSession(page, session);
  }
});
