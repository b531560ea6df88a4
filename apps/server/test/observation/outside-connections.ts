import amqp, { type ChannelModel } from 'amqplib';
import { connectionsPerTest } from '../helpers';

/**
 * For a test file: connects clients outside Warren (amqplib with the session's AMQP details, as
 * a pika script would use them), optionally under a connection name; closed after each test.
 */
export function outsideConnections(): (url: string, name?: string) => Promise<ChannelModel> {
  const open = connectionsPerTest();
  return async (url, name) => {
    const connection = await amqp.connect(
      url,
      name === undefined ? {} : { clientProperties: { connection_name: name } },
    );
    open.push(connection);
    return connection;
  };
}
