import { test } from '@warren/playwright';

/** Lesson 4, Publish/subscribe with temporary queues: Each subscriber gets a server-named, exclusive queue that disappears when it leaves. */
test('temporary-queues', async ({ warren }) => {
  await warren.openLesson('temporary-queues');
  await warren.chapter(
    'Publish/subscribe with temporary queues',
    'Each subscriber gets a server-named, exclusive queue that disappears when it leaves.',
  );

  await warren.chapter('Both subscribers hear it');
  await warren.caption(
    "Each subscriber declared a queue without a name: the broker named it amq.gen-… and only that subscriber's connection may use it. Send a message: both queues get a copy.",
  );
  await warren.runLessonStep('send');

  await warren.chapter('Subscriber B leaves');
  await warren.caption(
    'Stop subscriber B by closing its connection. Its queue was exclusive and auto-delete, so the broker deletes it at once.',
  );
  await warren.runLessonStep('leave');

  await warren.chapter('Only A hears it now');
  await warren.caption(
    "Send another message: it is copied only to subscriber A's queue, the one that still exists.",
  );
  await warren.runLessonStep('again');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
