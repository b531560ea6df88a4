import { test } from '@warren/playwright';

/** Lesson 19, Publisher confirms: With confirms on, the broker acknowledges every message it has taken responsibility for. */
test('publisher-confirms', async ({ warren }) => {
  await warren.openLesson('publisher-confirms');
  await warren.chapter(
    'Publisher confirms',
    'With confirms on, the broker acknowledges every message it has taken responsibility for.',
  );

  await warren.chapter('Every message confirmed');
  await warren.caption(
    'Send five payments. Each is confirmed by the broker once it is safely in the queue; the producer counts the acks.',
  );
  await warren.runLessonStep('confirm');

  await warren.chapter('Confirmed even if unroutable');
  await warren.caption(
    'A confirm says the broker took the message, not that a queue did: change the key to "refund" and send; it is confirmed and dropped. Use mandatory to hear about it.',
  );
  await warren.runLessonStep('unroutable');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
