import type { ChannelModel } from 'amqplib';

/**
 * The client ports of the connections this process has open to the broker. The broker names a
 * connection `<client address>:<port> -> <server address>:<port>`, and the firehose reports each
 * publish and delivery with that name: a port found here is Warren's own connection, known from
 * the moment it opens (before any event about it could arrive).
 */
const ports = new Set<number>();
/**
 * Answers already given, by connection name: asked for every traced message. Forgotten whenever
 * the set of ports changes (a port may be reused by another connection after one closes).
 */
const answers = new Map<string, boolean>();
const MAX_ANSWERS = 1000;

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
  answers.clear();
  model.once('close', () => {
    ports.delete(port);
    answers.clear();
  });
}

/** Whether the broker's name of a connection names one this process has open. */
export function isOwnConnection(brokerName: string): boolean {
  const known = answers.get(brokerName);
  if (known !== undefined) return known;
  const port = /:(\d+) -> /.exec(brokerName)?.[1];
  const own = port !== undefined && ports.has(Number(port));
  if (answers.size >= MAX_ANSWERS) answers.clear();
  answers.set(brokerName, own);
  return own;
}
