import { expect, test } from '../fixtures';

/**
 * Lesson 1, hello world: a producer dragged straight onto a queue publishes through the default
 * exchange with the queue's name as routing key; the consumer reading the queue acks it.
 */
test('lesson 1: a producer linked straight to a queue publishes through the default exchange', async ({
  canvas,
  broker,
  consumers,
  producers,
  page,
  vhost,
}, testInfo) => {
  await canvas.add('producer', 'producer-1', 'greeter');
  await canvas.add('queue', 'queue-1', 'hello');
  await canvas.add('consumer', 'consumer-1', 'reader');
  await expect(consumers.node('reader')).toContainText('from hello');
  await canvas.arrange([
    [producers.node('greeter'), 300, 160],
    [canvas.node('queue', 'hello'), 660, 170],
    [consumers.node('reader'), 960, 150],
  ]);
  await consumers.fitView();

  await canvas.connect(producers.node('greeter'), canvas.node('queue', 'hello'));
  await expect(page.getByTestId('default-exchange-edge-greeter-hello')).toContainText(
    'default exchange',
  );
  await producers.select('greeter');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('combobox', { name: /^Publishes to/ })).toHaveValue('');
  await expect(inspector.getByRole('textbox', { name: 'Routing key', exact: true })).toHaveValue(
    'hello',
  );
  await canvas.apply();

  await producers.send(3);
  await expect(producers.result('greeter')).toHaveText('3 sent · routed to hello');
  await consumers.expectCounts('reader', { received: 3, acked: 3, inflight: 0 });
  // The line through the default exchange and the one to the consumer count what the broker did.
  await expect(page.getByTestId('edge-count-greeter-hello')).toHaveText('3');
  await expect(page.getByTestId('edge-count-hello-reader')).toHaveText('3');
  await expect
    .poll(async () => (await broker.queueTraffic(vhost, 'hello')).delivered, { timeout: 20_000 })
    .toBe(3);

  await page.screenshot({ path: testInfo.outputPath('hello-world.png') });
});
