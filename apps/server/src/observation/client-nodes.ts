import { createHash } from 'node:crypto';
import type { OutsideClient } from '@warren/protocol';
import type { ConnectionIdentity } from './connection-events';

/**
 * The nodes the canvas draws for clients outside Warren, and which connection each stands for.
 *
 * - A client is drawn from the first thing it does (publish or consume), with the role that
 *   gives; its role is the union of all it did, so it grows (consumer → both) but never flips.
 * - Its id is a short hash of who it is (its `connection_name`, else its product; its host and
 *   user) and what it did first (`publish:<exchange>` or `consume:<queue>`, server-named queues
 *   counted alike), so another run of the same program gets the same id: it folds into the same
 *   node, whose `runs` counts the runs. A second copy running at the same time gets `<id>-2`.
 * - A client that only declares (queues, exchanges, bindings the broker reported created for it)
 *   is drawn as a `declarer` once DECLARE_GRACE_MS passed without it publishing or consuming, or
 *   when it disconnects before: most programs declare and then consume or publish at once, and
 *   are drawn with that role from the start. Its id counts `declare:<kind:name>` as what it did
 *   first. What it declared is listed on the node (`declared`) while the broker has it.
 * - When its last connection closes the node stays LINGER_MS (a program run in a loop stays one
 *   node), then leaves; its id is remembered, so a later run comes back as the same node.
 */

/** How long a node stays after its last connection closed. */
export const LINGER_MS = 1000;
/** How long a client that declared something may take to publish or consume before it is drawn. */
export const DECLARE_GRACE_MS = 600;
/** How long a node's id and history are remembered after it left. */
const MEMORY_MS = 10 * 60_000;
const MAX_REMEMBERED = 500;

export type ClientActivity = { publish: string } | { consume: string } | { declare: string };

const serverNamed = (queue: string) => queue.startsWith('amq.gen-');

interface Node {
  id: string;
  label: string;
  product: string | undefined;
  exchanges: Set<string>;
  queues: Set<string>;
  /** `kind:name` of what it declared, while the broker has it. */
  declared: Set<string>;
  /** Whether it ever declared something: it stays a declarer when its objects are deleted. */
  declarer: boolean;
  runs: number;
  /** Broker names of its connections open now. */
  live: Set<string>;
  /** When it leaves (its last connection closed), or left. */
  leaveAt: number | undefined;
  shown: boolean;
  /** The last client sent for it, to send only changes. */
  sent: string;
}

/** `queue:amq.gen-…` and bindings to such queues, counted alike in ids. */
const declaredAlike = (entry: string) => entry.replace(/amq\.gen-[\w-]+/g, 'amq.gen-*');

function firstOf(activity: ClientActivity): string {
  if ('publish' in activity) return `publish:${activity.publish}`;
  if ('declare' in activity) return `declare:${declaredAlike(activity.declare)}`;
  return `consume:${serverNamed(activity.consume) ? 'amq.gen-*' : activity.consume}`;
}

/** The stable part of a node id, for who the client is and what it did first. */
export function clientHash(identity: ConnectionIdentity, first: ClientActivity): string {
  const who =
    identity.given !== undefined ? `name:${identity.given}` : `product:${identity.product ?? ''}`;
  const text = [who, identity.peerHost ?? '', identity.user ?? '', firstOf(first)].join('\n');
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

/** The broker names a connection `<client host>:<port> -> <server>`: who it is, lacking more. */
export function identityFromName(name: string): ConnectionIdentity {
  const host = /^(.*):\d+ -> /.exec(name)?.[1];
  return { name, ...(host === undefined ? {} : { peerHost: host }) };
}

export class ClientNodes {
  private readonly nodes = new Map<string, Node>();
  private readonly nodeOf = new Map<string, Node>();
  /** Connections that declared something and did nothing else yet, by broker name. */
  private readonly declaring = new Map<
    string,
    { identity: ConnectionIdentity; declared: Set<string>; since: number }
  >();

  constructor(private readonly emit: (client: OutsideClient, gone: boolean) => void) {}

  /** The node id a connection was drawn as, if it was. */
  idOf(connection: string): string | undefined {
    return this.nodeOf.get(connection)?.id;
  }

  /**
   * An outside connection did something: its node is announced (or updated) before this
   * returns, so whatever names the id next already has its node. Returns the node id.
   */
  act(identity: ConnectionIdentity, activities: ClientActivity[], now: number): string {
    let node = this.nodeOf.get(identity.name);
    // Called for every traced message: a node with nothing new is left as it is.
    if (node?.shown === true && this.hasAll(node, activities)) return node.id;
    if (!node) {
      node = this.assign(identity, activities[0] ?? { publish: '' }, now);
      this.nodeOf.set(identity.name, node);
      const waiting = this.declaring.get(identity.name);
      this.declaring.delete(identity.name);
      for (const entry of waiting?.declared ?? []) this.addDeclared(node, entry);
    }
    for (const activity of activities) {
      if ('publish' in activity) node.exchanges.add(activity.publish);
      else if ('consume' in activity) node.queues.add(activity.consume);
      else this.addDeclared(node, activity.declare);
    }
    this.show(node);
    return node.id;
  }

  /** A loop, not `every` with a closure: this runs for every traced message. */
  private hasAll(node: Node, activities: ClientActivity[]): boolean {
    for (const activity of activities) if (!this.has(node, activity)) return false;
    return true;
  }

  private has(node: Node, activity: ClientActivity): boolean {
    if ('publish' in activity) return node.exchanges.has(activity.publish);
    if ('consume' in activity) return node.queues.has(activity.consume);
    return node.declared.has(activity.declare);
  }

  private addDeclared(node: Node, entry: string): void {
    node.declared.add(entry);
    node.declarer = true;
  }

  /**
   * The broker created `entry` (`kind:name`) for this connection. Its node, if drawn, lists it;
   * else it is drawn as a declarer on the clock once DECLARE_GRACE_MS passed (see `tick`).
   */
  declared(identity: ConnectionIdentity, entry: string, now: number): void {
    if (this.nodeOf.has(identity.name)) {
      this.act(identity, [{ declare: entry }], now);
      return;
    }
    const waiting = this.declaring.get(identity.name);
    if (waiting) waiting.declared.add(entry);
    else this.declaring.set(identity.name, { identity, declared: new Set([entry]), since: now });
  }

  /** The broker deleted `entry` (`kind:name`): no node lists it any more. */
  undeclared(entry: string): void {
    for (const waiting of this.declaring.values()) waiting.declared.delete(entry);
    for (const node of this.nodes.values()) {
      if (node.declared.delete(entry)) this.show(node);
    }
  }

  /** Draws a connection that only declared so far, with what it declared. */
  private drawDeclarer(connection: string, now: number): void {
    const waiting = this.declaring.get(connection);
    if (!waiting) return;
    this.declaring.delete(connection);
    if (waiting.declared.size === 0) return;
    const activities = [...waiting.declared].map((declare) => ({ declare }));
    this.act(waiting.identity, activities, now);
  }

  private assign(identity: ConnectionIdentity, first: ClientActivity, now: number): Node {
    const base = clientHash(identity, first);
    for (let n = 1; ; n += 1) {
      const id = n === 1 ? base : `${base}-${n}`;
      const node = this.nodes.get(id);
      if (node && node.live.size > 0) continue;
      if (node) {
        // Another run of the same program: one node, one more run.
        node.runs += 1;
        node.leaveAt = undefined;
        for (const queue of node.queues) if (serverNamed(queue)) node.queues.delete(queue);
        node.declared.clear();
        node.live.add(identity.name);
        return node;
      }
      const short = n === 1 ? base.slice(0, 6) : `${base.slice(0, 6)}-${n}`;
      const created: Node = {
        id,
        label: identity.given ?? `${identity.product ?? 'AMQP client'} #${short}`,
        product: identity.product,
        exchanges: new Set(),
        queues: new Set(),
        declared: new Set(),
        declarer: false,
        runs: 1,
        live: new Set([identity.name]),
        leaveAt: undefined,
        shown: false,
        sent: '',
      };
      this.nodes.set(id, created);
      this.forget(now);
      return created;
    }
  }

  /** A connection closed: its node leaves LINGER_MS after its last one did. */
  closed(connection: string, now: number): void {
    // A program that declared and left at once is drawn, briefly, as what it was.
    this.drawDeclarer(connection, now);
    const node = this.nodeOf.get(connection);
    if (!node) return;
    this.nodeOf.delete(connection);
    node.live.delete(connection);
    if (node.live.size === 0) node.leaveAt = now + LINGER_MS;
    this.show(node);
  }

  /** On the clock: nodes whose time is up leave. */
  tick(now: number): void {
    for (const [connection, waiting] of [...this.declaring]) {
      if (now - waiting.since >= DECLARE_GRACE_MS) this.drawDeclarer(connection, now);
    }
    for (const node of this.nodes.values()) {
      if (!node.shown || node.live.size > 0 || node.leaveAt === undefined) continue;
      if (node.leaveAt > now) continue;
      node.shown = false;
      node.sent = '';
      this.emit(this.clientOf(node), true);
    }
  }

  /** The nodes drawn now. */
  list(): OutsideClient[] {
    return [...this.nodes.values()].filter((n) => n.shown).map((n) => this.clientOf(n));
  }

  private show(node: Node): void {
    if (!node.shown && node.live.size === 0) return;
    const client = this.clientOf(node);
    const sent = JSON.stringify(client);
    node.shown = true;
    if (sent === node.sent) return;
    node.sent = sent;
    this.emit(client, false);
  }

  private clientOf(node: Node): OutsideClient {
    const queues = [...node.queues].sort();
    const exchanges = [...node.exchanges].sort();
    const role =
      queues.length > 0 && exchanges.length > 0
        ? 'both'
        : queues.length > 0
          ? 'consumer'
          : exchanges.length === 0 && node.declarer
            ? 'declarer'
            : 'producer';
    const declared = [...node.declared].sort();
    return {
      id: node.id,
      role,
      queues,
      exchanges,
      ...(declared.length === 0 ? {} : { declared }),
      label: node.label,
      ...(node.product === undefined ? {} : { product: node.product }),
      runs: node.runs,
      connections: [...node.live].sort(),
    };
  }

  /** Nodes gone long ago are forgotten (their next run starts over at one). */
  private forget(now: number): void {
    for (const [id, node] of this.nodes) {
      const old = node.leaveAt !== undefined && now - node.leaveAt > MEMORY_MS;
      if (!node.shown && (old || this.nodes.size > MAX_REMEMBERED)) this.nodes.delete(id);
    }
  }
}
