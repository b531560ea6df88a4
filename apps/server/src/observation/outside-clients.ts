import type { OutsideClient } from '@warren/protocol';
import type { ManagementClient } from '../broker/management';
import { isOwnConnection } from '../broker/own-connections';
import type { EventStream } from '../events/event-stream';
import { subscribeBrokerEvents, type BrokerObjectEvent, type FeedState } from './broker-events';
import { ClientNodes, identityFromName, type ClientActivity } from './client-nodes';
import { ConnectionDirectory, type ConnectionIdentity } from './connection-events';
import { DIRECT_REPLY_ADDRESS, DIRECT_REPLY_QUEUE } from './direct-reply-to';
import { reserved } from './outside-entries';

/**
 * Connections on the session's vhost that Warren did not make: a pika script, an amqplib
 * service, a Spring app given the session's AMQP details. Warren names every connection it
 * makes (`warren session <id>` for the session's own, `warren:<session>:producer:<id>` and
 * `warren:<session>:consumer:<id>` for the nodes it runs), so any other name is outside.
 *
 * Who connects and who consumes comes from the broker's event exchange (connection.*,
 * channel.*, consumer.*) as it happens; what a client publishes from the firehose. Where the
 * event exchange is missing, the management API is read every second instead (it lists a
 * connection a second or more after it opens). How connections become nodes: client-nodes.ts.
 *
 * What a client declares comes from the object events (queue.*, exchange.*, binding.*). Those
 * name no connection: an exclusive queue names its owner's process (`owner_pid`), and so do the
 * bindings to it; anything else is put down to the client only when it is the one outside
 * connection of the acting user open on the vhost, and to no one when several are.
 */

/** Names of the connections Warren makes itself. */
export function isWarrenConnectionName(name: string | undefined): boolean {
  return name !== undefined && (name.startsWith('warren:') || name.startsWith('warren session '));
}

/** A connection seen only on the firehose is taken for closed if no listing shows it by then. */
const UNLISTED_GRACE_MS = 5000;
/** Closed connections whose identity is remembered for their late records. */
const MAX_DEPARTED = 200;
/** Reply-to addresses remembered, to tell which client an RPC reply goes to. */
const MAX_REPLY_TO = 10_000;

interface ConnectionRow {
  name: string;
  user?: string;
  user_provided_name?: string;
  client_properties?: { connection_name?: string; product?: string };
  peer_host?: string;
}

interface ConsumerRow {
  queue?: { name?: string };
  channel_details?: { connection_name?: string };
}

export interface OutsideClientsHost {
  readonly vhost: string;
  readonly events: EventStream;
  readonly management: ManagementClient;
  /** A queue's broker name as the diagram says it. */
  toDiagram(queue: string): string;
}

export interface OutsideClientsDeps {
  amqpUrl: string;
  ownUser: string;
  log: { warn: (o: object, m: string) => void; debug: (o: object, m: string) => void };
}

export class OutsideClients {
  private readonly nodes: ClientNodes;
  private readonly directory = new ConnectionDirectory();
  /** Outside connections open now, by broker name. */
  private readonly identities = new Map<string, ConnectionIdentity>();
  /**
   * Outside connections closed lately, with who they were: a program that publishes and closes
   * at once may have its `connection.closed` event arrive before the firehose record of its
   * publish, which must still be drawn as that program's (and fold into its node).
   */
  private readonly departed = new Map<string, ConnectionIdentity>();
  /** Outside connections the event exchange told of (their closing will be told too). */
  private readonly announced = new Set<string>();
  /** When connections known only from the firehose were first seen. */
  private readonly firstSeen = new Map<string, number>();
  /** Broker names of Warren's own connections. */
  private readonly own = new Set<string>();
  /** `amq.rabbitmq.reply-to.<token>` → the node id of the client that consumes it. */
  private readonly replyTo = new Map<string, string>();
  /** Exclusive queues (broker names) of outside connections → the owning connection's name. */
  private readonly exclusive = new Map<string, string>();
  private feed: FeedState = 'connecting';
  private unsubscribe: (() => void) | undefined;
  private unsubscribeObjects: (() => void) | undefined;
  private polling: Promise<void> | undefined;
  /** Told when a connection's identity arrives (records may wait for it). */
  onIdentified: () => void = () => {};

  constructor(
    private readonly host: OutsideClientsHost,
    private readonly deps: OutsideClientsDeps,
  ) {
    this.nodes = new ClientNodes((client, gone) =>
      this.host.events.emit({ type: 'outside-client', client, gone }),
    );
  }

  /** Listens to the broker's connection, channel and consumer events of the vhost. */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = subscribeBrokerEvents(
      this.deps.amqpUrl,
      this.host.vhost,
      this.deps.log,
      (event) => {
        const change = this.directory.handle(event);
        if (change?.kind === 'opened') this.opened(change.identity, true);
        else if (change?.kind === 'consumed') this.consumed(change.connection, change.queue);
        else if (change?.kind === 'closed') this.closed(change.connection);
      },
      (state) => {
        this.feed = state;
        // Connections opened before events flowed are learnt from one listing.
        if (state === 'ready') void this.poll().catch(() => {});
      },
      true,
    );
    this.unsubscribeObjects ??= subscribeBrokerEvents(
      this.deps.amqpUrl,
      this.host.vhost,
      this.deps.log,
      (event) => this.onObjectEvent(event),
      () => {},
    );
  }

  /** A queue, exchange or binding the broker created or deleted: who declared it. */
  private onObjectEvent(event: BrokerObjectEvent): void {
    const [kind, change] = event.key.split('.');
    if (kind !== 'queue' && kind !== 'exchange' && kind !== 'binding') return;
    const h = event.headers;
    const text = (value: unknown): string | undefined =>
      typeof value === 'string'
        ? value
        : Buffer.isBuffer(value)
          ? value.toString('utf8')
          : undefined;
    let entry: string | undefined;
    let owner: string | undefined;
    if (kind === 'binding') {
      const source = text(h.source_name);
      const destination = text(h.destination_name);
      if (source === undefined || destination === undefined || source === '') return;
      const toQueue = text(h.destination_kind) !== 'exchange';
      if (reserved(source) || reserved(destination)) return;
      const shown = toQueue ? this.host.toDiagram(destination) : destination;
      entry = `binding:${source} -> ${shown} (${text(h.routing_key) ?? ''})`;
      if (toQueue) owner = this.exclusive.get(destination);
    } else {
      const name = text(h.name);
      if (name === undefined || reserved(name)) return;
      entry = `${kind}:${kind === 'queue' ? this.host.toDiagram(name) : name}`;
      if (kind === 'queue' && change === 'deleted') this.exclusive.delete(name);
      const ownerPid = text(h.owner_pid);
      if (kind === 'queue' && change === 'created' && h.exclusive === true && ownerPid) {
        owner = this.directory.byPid(ownerPid)?.name;
        if (owner !== undefined && !this.own.has(owner)) this.exclusive.set(name, owner);
      }
    }
    if (change === 'deleted') {
      this.nodes.undeclared(entry);
      return;
    }
    if (change !== 'created' || event.user === this.deps.ownUser) return;
    const connection = owner ?? this.onlyConnectionOf(event.user);
    if (connection === undefined || this.own.has(connection)) return;
    this.nodes.declared(this.identity(connection), entry, Date.now());
  }

  /** The one outside connection of `user` open now, if there is exactly one. */
  private onlyConnectionOf(user: string): string | undefined {
    let found: string | undefined;
    for (const identity of this.identities.values()) {
      if (identity.user !== user) continue;
      if (found !== undefined) return undefined;
      found = identity.name;
    }
    return found;
  }

  /** As on a broker without the event exchange plugin: clients are polled. */
  stopEvents(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unsubscribeObjects?.();
    this.unsubscribeObjects = undefined;
    this.feed = 'unavailable';
  }

  /** Whether the management API must be read to follow clients. */
  get needsPolling(): boolean {
    if (this.feed !== 'ready') return true;
    for (const name of this.identities.keys()) if (!this.announced.has(name)) return true;
    return false;
  }

  private opened(identity: ConnectionIdentity, viaEvents: boolean): void {
    if (isWarrenConnectionName(identity.given)) {
      this.own.add(identity.name);
      return;
    }
    this.identities.set(identity.name, identity);
    this.firstSeen.delete(identity.name);
    if (viaEvents) this.announced.add(identity.name);
    this.onIdentified();
  }

  private identity(connection: string): ConnectionIdentity {
    let identity = this.identities.get(connection) ?? this.departed.get(connection);
    if (!identity) {
      // Its connection.created is not here yet: it is known by its address until then.
      identity = identityFromName(connection);
      this.identities.set(connection, identity);
      this.firstSeen.set(connection, Date.now());
    }
    return identity;
  }

  private act(connection: string, activities: ClientActivity[]): string {
    const now = Date.now();
    const id = this.nodes.act(this.identity(connection), activities, now);
    // Already closed (its record came after the close): the node leaves as it would have.
    if (this.departed.has(connection) && !this.identities.has(connection))
      this.nodes.closed(connection, now);
    return id;
  }

  private consumed(connection: string, queue: string): void {
    if (this.own.has(connection)) return;
    this.act(connection, [{ consume: this.host.toDiagram(queue) }]);
  }

  private closed(connection: string): void {
    this.own.delete(connection);
    const identity = this.identities.get(connection);
    if (identity && !this.firstSeen.has(connection)) {
      this.departed.set(connection, identity);
      if (this.departed.size > MAX_DEPARTED) {
        const oldest = this.departed.keys().next().value;
        if (oldest !== undefined) this.departed.delete(oldest);
      }
    }
    this.identities.delete(connection);
    this.announced.delete(connection);
    this.firstSeen.delete(connection);
    this.nodes.closed(connection, Date.now());
  }

  /**
   * Whether a publish or delivery the firehose reported was a client's outside Warren. Only this
   * process uses the session's vhost, so a network connection that is not its own is outside;
   * a record without one (the broker's own doing) is outside when another user caused it.
   */
  isOutside(user: string, connection: string): boolean {
    if (this.own.has(connection) || isOwnConnection(connection)) return false;
    return connection.includes(' -> ') || user !== this.deps.ownUser;
  }

  /**
   * Whether a record can be reported now: Warren's own at once, an outside client's once its
   * `connection.created` told who it is (while the event exchange is there to tell it), or once
   * it was drawn without (its records waited once already; they do not wait again).
   */
  ready(user: string, connection: string): boolean {
    if (this.feed !== 'ready' || !this.isOutside(user, connection)) return true;
    return this.identities.has(connection) || this.departed.has(connection);
  }

  /**
   * A publish the firehose reported from an outside connection; returns its node id. One that
   * asks for replies on direct reply-to consumes the pseudo-queue `amq.rabbitmq.reply-to`.
   */
  onPublish(connection: string, exchange: string, replyTo: string | undefined): string {
    const activities: ClientActivity[] = [{ publish: exchange }];
    const direct = replyTo?.startsWith(DIRECT_REPLY_ADDRESS) === true;
    if (direct) activities.unshift({ consume: DIRECT_REPLY_QUEUE });
    const id = this.act(connection, activities);
    if (direct && replyTo !== undefined) {
      this.replyTo.delete(replyTo);
      this.replyTo.set(replyTo, id);
      if (this.replyTo.size > MAX_REPLY_TO) {
        const oldest = this.replyTo.keys().next().value;
        if (oldest !== undefined) this.replyTo.delete(oldest);
      }
    }
    return id;
  }

  /** A delivery the firehose reported to an outside connection; returns its node id. */
  onDeliver(connection: string, queue: string): string {
    const id = this.nodes.idOf(connection);
    return id ?? this.act(connection, [{ consume: this.host.toDiagram(queue) }]);
  }

  /** The node id of the client whose direct reply-to address this is (a reply's routing key). */
  replyToClient(address: string): string | undefined {
    return this.replyTo.get(address);
  }

  /** On the observation's clock: nodes whose connections left go. */
  tick(now: number): void {
    this.nodes.tick(now);
  }

  /** Reads connections and consumers of the vhost once (callers share a read under way). */
  poll(now = Date.now()): Promise<void> {
    this.polling ??= this.read(now).finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async read(now: number): Promise<void> {
    const v = encodeURIComponent(this.host.vhost);
    const [connections, consumers] = await Promise.all([
      this.host.management.request<ConnectionRow[]>(
        'GET',
        `/vhosts/${v}/connections?columns=name,user,user_provided_name,client_properties,peer_host`,
      ),
      this.host.management.request<ConsumerRow[]>(
        'GET',
        `/consumers/${v}?columns=queue.name,channel_details.connection_name`,
      ),
    ]);
    const listed = new Set<string>();
    for (const row of connections) {
      listed.add(row.name);
      if (this.identities.has(row.name) && !this.firstSeen.has(row.name)) continue;
      const given = row.user_provided_name ?? row.client_properties?.connection_name;
      const product = row.client_properties?.product;
      this.firstSeen.delete(row.name);
      this.opened(
        {
          name: row.name,
          ...(given === undefined ? {} : { given }),
          ...(product === undefined ? {} : { product }),
          ...(row.peer_host === undefined ? {} : { peerHost: row.peer_host }),
          ...(row.user === undefined ? {} : { user: row.user }),
        },
        false,
      );
    }
    for (const row of consumers) {
      const connection = row.channel_details?.connection_name;
      const queue = row.queue?.name;
      if (connection === undefined || queue === undefined || !listed.has(connection)) continue;
      if (this.identities.has(connection)) this.consumed(connection, queue);
    }
    for (const name of [...this.identities.keys()]) {
      if (listed.has(name) || this.announced.has(name)) continue;
      // Seen on the firehose only: the management API may not list it yet.
      const seen = this.firstSeen.get(name);
      if (seen !== undefined && now - seen < UNLISTED_GRACE_MS) continue;
      this.closed(name);
    }
  }

  list(): OutsideClient[] {
    return this.nodes.list();
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unsubscribeObjects?.();
    this.unsubscribeObjects = undefined;
  }
}
