import type { ChannelModel } from 'amqplib';

/**
 * The client ports of the connections this process has open to the broker. The broker names a
 * connection `<client address>:<port> -> <server address>:<port>`, and the firehose reports each
 * publish and delivery with that name: a port found here is Warren's own connection, known from
 * the moment it opens (before any event about it could arrive).
 */
const ports = new Set<number>();

function localPort(model: ChannelModel): number | undefined {
  // amqplib keeps the socket on a field its typings leave out.
  const inner = model as unknown as { connection?: { stream?: { localPort?: unknown } } };
  const port = inner.connection?.stream?.localPort;
  return typeof port === 'number' ? port : undefined;
}

/** Remembers a connection this process opened, until it closes. */
export function rememberOwnConnection(model: ChannelModel): void {
  const port = localPort(model);
  if (port === undefined) return;
  ports.add(port);
  model.once('close', () => ports.delete(port));
}

/** Whether the broker's name of a connection names one this process has open. */
export function isOwnConnection(brokerName: string): boolean {
  const port = /:(\d+) -> /.exec(brokerName)?.[1];
  return port !== undefined && ports.has(Number(port));
}
