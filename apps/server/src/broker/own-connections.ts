import type { ChannelModel } from 'amqplib';

/**
 * The client ports of the connections this process has open to the broker. The broker names a
 * connection `<client address>:<port> -> <server address>:<port>`, and the firehose reports each
 * publish and delivery with that name: a port found here is Warren's own connection, known from
 * the moment it opens (before any event about it could arrive).
 */
const ports = new Set<number>();
/** Client ports by connection name: asked for every traced message, of a few names. */
const namedPorts = new Map<string, number | undefined>();
const MAX_NAMES = 10_000;

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

/** The client port in the broker's name of a connection (remembered per name). */
export function clientPort(brokerName: string): number | undefined {
  if (namedPorts.has(brokerName)) return namedPorts.get(brokerName);
  const digits = /:(\d+) -> /.exec(brokerName)?.[1];
  const port = digits === undefined ? undefined : Number(digits);
  if (namedPorts.size >= MAX_NAMES) namedPorts.clear();
  namedPorts.set(brokerName, port);
  return port;
}

/** Whether the broker's name of a connection names one this process has open. */
export function isOwnConnection(brokerName: string): boolean {
  const port = clientPort(brokerName);
  return port !== undefined && ports.has(port);
}
