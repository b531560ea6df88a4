// Request/reply: `server` answers fib(n) requests on 'rpc_queue'; `client N [--direct-reply-to]`
// asks for fib(N) and waits for the answer, on its own server-named callback queue or on the
// broker's direct reply-to pseudo-queue.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
const say = (what) => console.log(JSON.stringify(what));
const [role, ...args] = process.argv.slice(2);

function fib(n) {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i += 1) [a, b] = [b, a + b];
  return a;
}

const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
if (role === 'server') {
  await channel.assertQueue('rpc_queue', { durable: false });
  await channel.prefetch(1);
  await channel.consume('rpc_queue', (message) => {
    const n = Number(message.content.toString());
    const { correlationId, replyTo } = message.properties;
    say({ received: n, correlation_id: correlationId });
    channel.sendToQueue(replyTo, Buffer.from(String(fib(n))), { correlationId });
    channel.ack(message);
  });
  process.once('SIGTERM', () => connection.close());
  say({ ready: 'rpc_queue' });
} else {
  const n = Number(args[0]);
  const callback = args.includes('--direct-reply-to')
    ? DIRECT_REPLY_TO
    : (await channel.assertQueue('', { exclusive: true })).queue;
  const correlationId = randomUUID();
  let answered;
  const answer = new Promise((resolve) => (answered = resolve));
  await channel.consume(
    callback,
    (message) => {
      if (message.properties.correlationId === correlationId)
        answered(Number(message.content.toString()));
    },
    { noAck: true },
  );
  channel.sendToQueue('rpc_queue', Buffer.from(String(n)), { replyTo: callback, correlationId });
  say({ sent: n, correlation_id: correlationId, reply_to: callback });
  say({ answer: await answer, correlation_id: correlationId });
  await connection.close();
}
