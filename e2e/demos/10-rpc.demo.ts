import { test } from '@warren/playwright';

/** Lesson 10, RPC request and reply: A client sends a request with reply_to and correlation_id; the server answers on the reply queue. */
test('rpc', async ({ warren }) => {
  await warren.openLesson('rpc');
  await warren.chapter(
    'RPC request and reply',
    'A client sends a request with reply_to and correlation_id; the server answers on the reply queue.',
  );

  await warren.chapter('Send a request');
  await warren.caption(
    'The client publishes to rpc_queue with reply_to = rpc.replies and a correlation id. The server consumes it.',
  );
  await warren.runLessonStep('request');

  await warren.chapter('The reply comes back');
  await warren.caption(
    "The server publishes its answer to the default exchange with the request's reply_to as routing key and copies the correlation id, so the client can match the reply to its request.",
  );
  await warren.runLessonStep('reply');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
