import { test } from '@warren/playwright';

/** Lesson 1, Hello world: One producer sends a message through the default exchange to the hello queue, and one consumer takes it. */
test('hello-world', async ({ warren }) => {
  await warren.openLesson('hello-world');
  await warren.chapter(
    'Hello world',
    'One producer sends a message through the default exchange to the hello queue, and one consumer takes it.',
  );

  await warren.chapter('The pieces');
  await warren.caption(
    'The sender publishes to the default exchange, which every vhost has. It delivers a message to the queue whose name equals the routing key, here "hello". The receiver consumes from that queue.',
  );
  await warren.runLessonStep('look');

  await warren.chapter('Send a message');
  await warren.caption(
    'Click "Send" on the sender (or run this step). Watch the dot leave the sender, pass the default exchange and land in "hello".',
  );
  await warren.runLessonStep('send');

  await warren.chapter('The receiver acknowledges it');
  await warren.caption(
    'The receiver gets the message and acknowledges it; only then does the broker forget it. The queue is empty again.',
  );
  await warren.runLessonStep('ack');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
