import { test } from '@warren/playwright';

/** Lesson 15, TTL and delayed retry: Failed messages wait in a TTL queue and come back; after three retries they are parked. */
test('delayed-retry', async ({ warren }) => {
  await warren.openLesson('delayed-retry');
  await warren.chapter(
    'TTL and delayed retry',
    'Failed messages wait in a TTL queue and come back; after three retries they are parked.',
  );

  await warren.chapter('A message that always fails');
  await warren.caption(
    'Send one order. The worker fails and rejects it; the dead-letter exchange puts it in orders.retry.',
  );
  await warren.runLessonStep('send');

  await warren.chapter('It waits and returns');
  await warren.caption(
    'orders.retry has a one-second TTL and dead-letters back to orders.x, so the message expires and returns to the work queue. Each pass adds to its x-death count.',
  );
  await warren.runLessonStep('wait');

  await warren.chapter('Parked after three retries');
  await warren.caption(
    'After the first delivery and three retries, the worker reads x-death, sees the limit, and republishes the message to the parking exchange.',
  );
  await warren.runLessonStep('park');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
