import { test } from '@warren/playwright';

/** Lesson 5, Direct routing (log levels): A direct exchange routes by exact routing key: debug and info share a queue, an unknown level is dropped. */
test('direct-routing', async ({ warren }) => {
  await warren.openLesson('direct-routing');
  await warren.chapter(
    'Direct routing (log levels)',
    'A direct exchange routes by exact routing key: debug and info share a queue, an unknown level is dropped.',
  );

  await warren.chapter('An error');
  await warren.caption(
    'Send with routing key "error": the only binding with exactly that key leads to queue-error.',
  );
  await warren.runLessonStep('error');
  await warren.waitForQueueDepth('queue-error', 1);

  await warren.chapter('Debug joins info');
  await warren.caption(
    'queue-info has two bindings, "info" and "debug". Send "debug": it lands in queue-info.',
  );
  await warren.runLessonStep('debug');
  await warren.waitForQueueDepth('queue-info', 1);

  await warren.chapter('An unknown level');
  await warren.caption(
    'Send "critical". No binding has that key, so the broker drops the message: it is unroutable.',
  );
  await warren.runLessonStep('unknown');
  // Unroutable: every queue keeps what it had.
  await warren.waitForQueueDepth('queue-error', 1);
  await warren.waitForQueueDepth('queue-info', 1);
  await warren.waitForQueueDepth('queue-warning', 0);

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
