import { test } from '@warren/playwright';

/** Lesson 23, Microservices: Orders, payments and notifications talk over one topic exchange; an event log hears everything. */
test('microservices', async ({ warren }) => {
  await warren.openLesson('microservices');
  await warren.chapter(
    'Microservices',
    'Orders, payments and notifications talk over one topic exchange; an event log hears everything.',
  );

  await warren.chapter('An order is placed');
  await warren.caption(
    'The orders service publishes "order.placed": the payments service, analytics and the event log each get a copy.',
  );
  await warren.runLessonStep('order');

  await warren.chapter('The payment completes');
  await warren.caption(
    'The payments service announces "payment.completed": notifications sends the receipt, and the event log records it too.',
  );
  await warren.runLessonStep('payment');

  await warren.chapter('Everyone did their part');
  await warren.caption('Each service acknowledged its messages; the event log saw both events.');
  await warren.runLessonStep('consumed');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
