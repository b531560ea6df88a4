// Declares only: an exchange 'inventory', a queue 'inventory.updates' bound to it with 'stock',
// and its own exclusive server-named queue bound with 'audit'; then waits until stopped.
import amqp from 'amqplib';

const say = (what) => console.log(JSON.stringify(what));

const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
await channel.assertExchange('inventory', 'direct', { durable: true });
await channel.assertQueue('inventory.updates', { durable: true });
await channel.bindQueue('inventory.updates', 'inventory', 'stock');
const { queue: own } = await channel.assertQueue('', { exclusive: true });
await channel.bindQueue(own, 'inventory', 'audit');
say({ ready: 'declared', queue: own });
process.once('SIGTERM', () => connection.close());
