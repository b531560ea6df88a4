import { test } from '@warren/playwright';

/** Lesson 14, Dead-lettering on reject: A consumer rejects without requeue; the queue's dead-letter exchange keeps the message with x-death reason "rejected". */
test('dead-letter-reject', async ({ warren }) => {
  await warren.openLesson('dead-letter-reject');
  await warren.chapter(
    'Dead-lettering on reject',
    'A consumer rejects without requeue; the queue\'s dead-letter exchange keeps the message with x-death reason "rejected".',
  );

  await warren.chapter('The worker rejects');
  await warren.caption(
    'Send a job. The worker fails and rejects it without requeue. Because "work" has a dead-letter exchange, the broker republishes it there.',
  );
  await warren.runLessonStep('reject');

  await warren.chapter('It waits in the DLQ');
  await warren.caption(
    'The message is in work.dlq with an x-death header naming the queue and the reason "rejected".',
  );
  await warren.runLessonStep('dlq');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
