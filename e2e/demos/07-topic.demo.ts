import { test } from '@warren/playwright';

/** Lesson 7, Topic routing: Topic bindings match dotted keys with * (one word) and # (any number of words). */
test('topic', async ({ warren }) => {
  await warren.openLesson('topic');
  await warren.chapter(
    'Topic routing',
    'Topic bindings match dotted keys with * (one word) and # (any number of words).',
  );

  await warren.chapter('Two matches');
  await warren.caption(
    'Send "order.create.critical". It matches "#.critical" and "order.#", so both queues get a copy.',
  );
  await warren.runLessonStep('critical-order');
  await warren.expectRouted('demo.topic', 'critical', 1);
  await warren.expectRouted('demo.topic', 'order', 1);

  await warren.chapter('One word for *');
  await warren.caption(
    'Send "user.login.success". "*" stands for exactly one word, so "user.login.*" matches and only the login queue gets it.',
  );
  await warren.runLessonStep('login');
  await warren.expectRouted('demo.topic', 'login', 1);
  await warren.waitForQueueDepth('order', 1);

  await warren.chapter('No match');
  await warren.caption(
    'Send "system.log.info". No pattern matches it and the broker drops it as unroutable.',
  );
  await warren.runLessonStep('nowhere');
  // Dropped: no queue got a third message.
  await warren.waitForQueueDepth('critical', 1);
  await warren.waitForQueueDepth('login', 1);

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
