// Hello world: `send [text]` puts one message on the queue 'hello'; `receive` prints each one.
import amqp from 'amqplib';

const say = (what) => console.log(JSON.stringify(what));
const [role, text = 'Hello World!'] = process.argv.slice(2);

const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
await channel.assertQueue('hello', { durable: false });
if (role === 'send') {
  channel.sendToQueue('hello', Buffer.from(text));
  say({ sent: text });
  await channel.close();
  await connection.close();
} else {
  await channel.consume('hello', (message) => say({ received: message.content.toString() }), {
    noAck: true,
  });
  process.once('SIGTERM', () => connection.close());
  say({ ready: 'hello' });
}
