// Publish/subscribe: `emit text` broadcasts on the fanout exchange 'logs'; `receive` binds a
// private, server-named queue to it and prints every log.
import amqp from 'amqplib';

const say = (what) => console.log(JSON.stringify(what));
const [role, ...words] = process.argv.slice(2);

const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
await channel.assertExchange('logs', 'fanout', { durable: false });
if (role === 'emit') {
  const text = words.join(' ') || 'info: Hello World!';
  channel.publish('logs', '', Buffer.from(text));
  say({ sent: text });
  await channel.close();
  await connection.close();
} else {
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, 'logs', '');
  await channel.consume(queue, (message) => say({ received: message.content.toString(), queue }), {
    noAck: true,
  });
  process.once('SIGTERM', () => connection.close());
  say({ ready: queue });
}
