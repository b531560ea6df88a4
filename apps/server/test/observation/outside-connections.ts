import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { connectionsPerTest } from '../helpers';

/**
 * For a test file: connections a test opens as a client outside Warren would (amqplib with the
 * session's AMQP details, as a pika script would use them), optionally under a connection name;
 * closed after each test.
 */
export function outsideConnections() {
  const open = connectionsPerTest();
  return {
    connect: async (url: string, name?: string): Promise<ChannelModel> => {
      const connection = await amqp.connect(
        url,
        name === undefined ? {} : { clientProperties: { connection_name: name } },
      );
      open.push(connection);
      return connection;
    },
    disconnect: async (connection: ChannelModel): Promise<void> => {
      await connection.close();
      open.splice(open.indexOf(connection), 1);
    },
  };
}

/** An RPC server as in the tutorials: answers each request on `rpc_queue` to its reply-to. */
export async function rpcServer(
  connection: ChannelModel,
  answer: (request: string) => string,
): Promise<Channel> {
  const server = await connection.createChannel();
  await server.assertQueue('rpc_queue', { durable: false });
  await server.consume('rpc_queue', (m) => {
    if (!m) return;
    server.sendToQueue(m.properties.replyTo as string, Buffer.from(answer(m.content.toString())), {
      correlationId: m.properties.correlationId as string,
    });
    server.ack(m);
  });
  return server;
}
