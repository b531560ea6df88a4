import { test } from '@warren/playwright';

/** Lesson 3, Fanout (publish/subscribe): A fanout exchange copies every message to every queue bound to it. */
test('fanout', async ({ warren }) => {
  await warren.openLesson('fanout');
  await warren.chapter(
    'Fanout (publish/subscribe)',
    'A fanout exchange copies every message to every queue bound to it.',
  );

  await warren.chapter('Publish one message');
  await warren.caption(
    'Send one message. A fanout exchange ignores the routing key and puts a copy in each bound queue.',
  );
  await warren.runLessonStep('send');
  await warren.expectRouted('demo.fanout', 'demo.fanout.queue-0', 1);
  await warren.expectRouted('demo.fanout', 'demo.fanout.queue-1', 1);
  await warren.expectRouted('demo.fanout', 'demo.fanout.queue-2', 1);

  await warren.chapter('Three copies');
  await warren.caption('Each of the three queues now holds one copy: nobody consumes them yet.');
  await warren.runLessonStep('depths');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
