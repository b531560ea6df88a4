import amqplib from 'amqplib';
import { expect, test } from '../fixtures';
import { ImportExportDialogs } from '../pages/import-export';

/**
 * Scenario 10, RPC request/reply: a responder consumer answers each request on the queue its
 * reply_to names, with the request's correlation_id, so the caller can tell which reply
 * answers which request.
 */
test('scenario 10: a responder answers each request on its reply_to queue with its correlation id', async ({
  canvas,
  broker,
  vhost,
  consumers,
  producers,
  page,
}, testInfo) => {
  // The request queue with its responder, and the reply queue the caller reads.
  await canvas.add('queue', 'queue-1', 'rpc.requests');
  await canvas.add('consumer', 'consumer-1', 'responder');
  await expect(consumers.node('responder')).toContainText('from rpc.requests');
  await canvas.add('queue', 'queue-1', 'rpc.replies');
  // Like an RPC caller's reply queue, it is exclusive: only the connection that declared it
  // (here the session's own) may read it, and it goes when that connection does.
  await canvas.setQueueFlag('rpc.replies', 'exclusive', true);
  await expect(
    page.getByTestId('queue-badges-rpc.replies').locator('[data-badge=exclusive]'),
  ).toBeVisible();
  await canvas.add('producer', 'producer-1', 'caller');

  await canvas.arrange([
    [producers.node('caller'), 262, 200],
    [canvas.node('queue', 'rpc.requests'), 560, 150],
    [consumers.node('responder'), 860, 120],
    [canvas.node('queue', 'rpc.replies'), 560, 430],
  ]);

  await consumers.configure('responder', { processingMs: 200, rpcReply: true });
  await expect(page.getByTestId('consumer-settings-responder')).toContainText('RPC reply');

  // The caller asks through the default exchange, naming where the answer goes and tagging
  // each request with its own correlation id.
  await producers.select('caller');
  await producers.setMessage('rpc.requests', 'question {{n}}');
  await producers.setProperties({ replyTo: 'rpc.replies', correlationId: 'req-{{n}}' });
  await canvas.apply();
  await expect(consumers.status('responder')).toHaveText('running');
  expect(await broker.queue(vhost, 'rpc.replies')).toMatchObject({ exclusive: true });

  await producers.select('caller');
  await producers.send(3);
  await expect(producers.result('caller')).toHaveText('3 sent · routed to rpc.requests');

  // Exact counters: three requests taken and acked, three replies sent.
  await consumers.expectCounts('responder', { received: 3, acked: 3, inflight: 0, replied: 3 });
  await consumers.select('responder');
  await expect(consumers.state()).toContainText('3 replies');
  // Its log names the reply of each request by correlation id.
  await expect(page.getByTestId('inspector-consumer-log')).toContainText(
    "replied to 'rpc.replies' with correlation id 'req-1'",
  );
  await expect(canvas.depth('rpc.requests')).toHaveText('0');
  await expect(canvas.depth('rpc.replies')).toHaveText('3', { timeout: 15_000 });
  await expect
    .poll(() => broker.queueCounts(vhost, 'rpc.replies'), { timeout: 20_000 })
    .toEqual({ ready: 3, unacked: 0 });
  await consumers.state().scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('rpc-replies.png') });

  // The canvas counts replies but shows no correlation ids, and the exclusive reply queue
  // cannot be read from outside its connection. So a caller of the learner's own, connected
  // with the details of the exported code, checks that each answer carries its request's id.
  const url = await new ImportExportDialogs(page).amqpUrl();
  const connection = await amqplib.connect(url, {
    clientProperties: { connection_name: 'rpc-caller' },
  });
  // The session closes the vhost under it when the test ends; that must not crash the runner.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    const { queue: replyQueue } = await channel.assertQueue('', { exclusive: true });
    const answers: Record<string, string> = {};
    await channel.consume(
      replyQueue,
      (message) => {
        if (message) answers[String(message.properties.correlationId)] = message.content.toString();
      },
      { noAck: true },
    );
    const calls: [id: string, question: string][] = [
      ['call-a', 'how are you?'],
      ['call-b', 'what time is it?'],
    ];
    for (const [id, question] of calls)
      channel.sendToQueue('rpc.requests', Buffer.from(question), {
        replyTo: replyQueue,
        correlationId: id,
      });
    await expect
      .poll(() => answers, { timeout: 15_000 })
      .toEqual({ 'call-a': 'reply: how are you?', 'call-b': 'reply: what time is it?' });
    await consumers.expectCounts('responder', { received: 5, acked: 5, inflight: 0 });
    await expect(consumers.state()).toContainText('5 replies');
    await expect(
      page.locator('[data-testid^="outside-client-"]', { hasText: 'rpc-caller' }),
    ).toBeVisible({ timeout: 15_000 });
    // The diagram's reply queue still holds only the replies to the diagram's caller.
    await expect(canvas.depth('rpc.replies')).toHaveText('3');
  } finally {
    await connection.close().catch(() => undefined);
  }
});
