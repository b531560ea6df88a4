// Work queue: `new-task text...` sends each task, persistent, to the durable 'task_queue';
// `worker` takes one task at a time and acknowledges it when done (a dot is a tenth of a second).
import amqp from 'amqplib';

const say = (what) => console.log(JSON.stringify(what));
const [role, ...tasks] = process.argv.slice(2);

const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
await channel.assertQueue('task_queue', { durable: true });
if (role === 'new-task') {
  for (const task of tasks) {
    channel.sendToQueue('task_queue', Buffer.from(task), { persistent: true });
    say({ sent: task });
  }
  await channel.close();
  await connection.close();
} else {
  await channel.prefetch(1);
  await channel.consume('task_queue', (message) => {
    const task = message.content.toString();
    setTimeout(
      () => {
        say({ received: task });
        channel.ack(message);
      },
      task.split('.').length * 100 - 100,
    );
  });
  process.once('SIGTERM', () => connection.close());
  say({ ready: 'task_queue' });
}
