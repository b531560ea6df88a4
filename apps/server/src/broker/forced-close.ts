import type { ChannelModel } from 'amqplib';
import type { ManagementClient } from './management';
import { withTimeout } from './waits';

/** How long a forced close waits for the management API to list the connection. */
const LOOKUP_MS = 4000;
/** How long it waits for the client to see its connection close. */
const CLOSE_WAIT_MS = 5000;

export interface ForcedClose {
  management: ManagementClient;
  vhost: string;
  /** The name the client gave its connection (`connection_name`). */
  connectionName: string;
  log: { debug: (obj: object, msg: string) => void };
}

/**
 * Closes a connection the way an operator would, from the broker's side (management API), so the
 * client meets a CONNECTION_FORCED like a real application. When the broker knows it by neither
 * name, it is closed from this side instead. Resolves once the client has seen it close.
 */
export async function closeFromBroker(model: ChannelModel, target: ForcedClose): Promise<void> {
  const closed = new Promise<void>((resolve) => model.once('close', () => resolve()));
  const force = async (name: string | undefined): Promise<boolean> => {
    if (name === undefined) return false;
    try {
      // disable_stats: the broker finds the connection in its own tracking table at once,
      // instead of waiting for its statistics to list it.
      await target.management.request(
        'DELETE',
        `/connections/${encodeURIComponent(name)}?disable_stats=true`,
      );
      return true;
    } catch (error) {
      target.log.debug({ err: error, connection: target.connectionName }, 'forcing a close');
      return false;
    }
  };
  const forced =
    (await force(socketConnectionName(model))) || (await force(await brokerName(target)));
  if (!forced) await model.close().catch(() => {});
  await withTimeout(closed, CLOSE_WAIT_MS);
}

/** The broker's name of a connection, found by the name its client gave it. */
async function brokerName(target: ForcedClose): Promise<string | undefined> {
  const deadline = Date.now() + LOOKUP_MS;
  const path = `/vhosts/${encodeURIComponent(target.vhost)}/connections?columns=name,client_properties`;
  for (;;) {
    try {
      const listed = await target.management.request<
        { name: string; client_properties?: { connection_name?: string } }[]
      >('GET', path);
      const found = listed.find(
        (c) => c.client_properties?.connection_name === target.connectionName,
      );
      if (found) return found.name;
    } catch {
      return undefined;
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** amqplib's typings leave out the socket under a connection. */
interface WithSocket {
  connection: {
    stream?: {
      localAddress?: string;
      localPort?: number;
      remoteAddress?: string;
      remotePort?: number;
    };
  };
}

/** The broker names a connection `client-host:port -> broker-host:port`, as its socket sees them. */
function socketConnectionName(model: ChannelModel): string | undefined {
  const socket = (model as unknown as WithSocket).connection.stream;
  if (socket?.localAddress === undefined || socket.remoteAddress === undefined) return undefined;
  return `${socket.localAddress}:${socket.localPort} -> ${socket.remoteAddress}:${socket.remotePort}`;
}
