import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type BrokerDoor = Awaited<ReturnType<typeof brokerDoor>>;

/**
 * A TCP forwarder to the real broker that can be switched on and off, so a test can make
 * "the broker" disappear and appear without restarting RabbitMQ. Cut off, it still listens but
 * drops every connection at once, and counts the clients that tried to come back.
 */
export async function brokerDoor(targetPort: number) {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let cutOff = false;
  const door = {
    port,
    /** Connections refused while cut off. */
    refused: 0,
    async open() {
      server = net.createServer((client) => {
        if (cutOff) {
          door.refused += 1;
          client.destroy();
          return;
        }
        const upstream = net.connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => server?.listen(port, '127.0.0.1', r));
    },
    /** Drops every connection through the door and refuses new ones, as a broker gone away. */
    cutOff() {
      cutOff = true;
      door.refused = 0;
      for (const s of sockets) s.destroy();
    },
    /** Lets connections through again. */
    restore() {
      cutOff = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      server = undefined;
    },
  };
  return door;
}
