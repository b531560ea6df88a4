import { test } from '@warren/playwright';

/** Lesson 11, Exchange-to-exchange: A topic exchange forwards matching messages to a fanout exchange: the path has two hops. */
test('exchange-to-exchange', async ({ warren }) => {
  await warren.openLesson('exchange-to-exchange');
  await warren.chapter(
    'Exchange-to-exchange',
    'A topic exchange forwards matching messages to a fanout exchange: the path has two hops.',
  );

  await warren.chapter('Two hops');
  await warren.caption(
    'Send "order.created". The topic exchange routes it to the orders queue and to the audit exchange, which copies it to both audit queues.',
  );
  await warren.runLessonStep('two-hops');

  await warren.chapter('Only one hop');
  await warren.caption(
    'Send "order.item.added": "order.#" matches it, but "order.*" does not, so the audit exchange never sees it.',
  );
  await warren.runLessonStep('one-hop');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
