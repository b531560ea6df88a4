// Routing by key: `emit EXCHANGE TYPE KEY text` publishes on a direct or topic exchange;
// `receive EXCHANGE TYPE KEY...` binds a private, server-named queue with each key and prints
// what arrives with its routing key.
import amqp from 'amqplib';

const say = (what) => console.log(JSON.stringify(what));
const [role, exchange, type, ...args] = process.argv.slice(2);

const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
await channel.assertExchange(exchange, type, { durable: false });
if (role === 'emit') {
  const [key, ...words] = args;
  const text = words.join(' ');
  channel.publish(exchange, key, Buffer.from(text));
  say({ sent: text, key });
  await channel.close();
  await connection.close();
} else {
  const { queue } = await channel.assertQueue('', { exclusive: true });
  for (const key of args) await channel.bindQueue(queue, exchange, key);
  await channel.consume(
    queue,
    (message) =>
      say({ received: message.content.toString(), key: message.fields.routingKey, queue }),
    { noAck: true },
  );
  process.once('SIGTERM', () => connection.close());
  say({ ready: queue });
}
