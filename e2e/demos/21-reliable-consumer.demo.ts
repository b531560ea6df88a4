import { test } from '@warren/playwright';

/** Lesson 21, Reliable consumer: Manual ack, local retries with backoff, then a recoverer: reject to the DLQ or republish to an error exchange. */
test('reliable-consumer', async ({ warren }) => {
  await warren.openLesson('reliable-consumer');
  await warren.chapter(
    'Reliable consumer',
    'Manual ack, local retries with backoff, then a recoverer: reject to the DLQ or republish to an error exchange.',
  );

  await warren.chapter('Retries with backoff');
  await warren.caption(
    'Send a job. The consumer fails, waits 100 ms, 200 ms, and tries again in place, without giving the message back to the broker.',
  );
  await warren.runLessonStep('retries');

  await warren.chapter('Recoverer: reject');
  await warren.caption(
    "After three attempts the recoverer rejects it and the queue's dead-letter exchange moves it to jobs.dlq.",
  );
  await warren.runLessonStep('reject');

  await warren.chapter('Recoverer: republish');
  await warren.caption(
    "The second consumer's recoverer republishes failed messages to error.direct instead. Send a report and watch it end in error.queue.",
  );
  await warren.runLessonStep('republish');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
