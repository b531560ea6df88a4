import { test } from '@warren/playwright';

/** Lesson 20, Reliable producer (outbox): The producer logs each message, re-sends what is not confirmed, and gives up after three tries. */
test('reliable-producer', async ({ warren }) => {
  await warren.openLesson('reliable-producer');
  await warren.chapter(
    'Reliable producer (outbox)',
    'The producer logs each message, re-sends what is not confirmed, and gives up after three tries.',
  );

  await warren.chapter('Logged and confirmed');
  await warren.caption(
    'Send three invoices. Each goes into the outbox as "sending" and turns "confirmed" when the broker acks it.',
  );
  await warren.runLessonStep('confirmed');

  await warren.chapter('The failure path');
  await warren.caption(
    'The second outbox sends to a queue that holds one message and refuses more. Send three: the broker nacks the refused ones, the outbox tries again, and after three tries marks them failed.',
  );
  await warren.runLessonStep('failed');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
