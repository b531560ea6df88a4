import type { Channel, ChannelModel } from 'amqplib';
import {
  diffPolicies,
  diffTopology,
  type Binding,
  type Exchange,
  type Queue,
  type Topology,
} from '@warren/topology';
import type { ApplyTopologyResponse } from '@warren/protocol';
import type { ManagementClient } from '../broker/management';
import { BrokerDisconnectedError, ChannelPool } from '../broker/channel-slot';
import { ApplyReport } from './apply-report';
import { listingToTopology, type BrokerListing } from './broker-state';
import { clientOwnedQueues, splitClientObjects } from './client-owned';
import { applyPolicies } from './policies';
import { displayName, labelOfKey, ServerNamedQueues, withDiffKeys } from './queue-names';
import { changedMessage, firstDifference } from './refusals';

/** Channels the materializer declares on side by side. */
const OPERATION_CHANNELS = 8;

export interface MaterializerDeps {
  management: ManagementClient;
  vhost: string;
  /** The session's connection, while it is up. */
  connection: () => ChannelModel | undefined;
  /** Queues of Warren's own machinery (the firehose's observer queue): never the diagram's. */
  hidden: (brokerName: string) => boolean;
}

/** What an apply did on the broker, and the document as applied (clients' objects as they are). */
export type Materialized = Pick<ApplyTopologyResponse, 'nodeErrors' | 'changes' | 'topology'>;

/**
 * Makes the broker's objects in a session's vhost match a topology document: removes what the
 * document no longer has, declares what is new (or changed), binds. A refusal is attached to
 * the node that caused it; the rest goes on. It also reads the vhost back as a topology.
 */
export class Materializer {
  /** The broker's names for the diagram's server-named queues. */
  readonly serverNamed = new ServerNamedQueues();
  /** Exclusive queues this session declared: they live and die with its connection. */
  private readonly ownExclusive = new Set<string>();
  private readonly ops: ChannelPool;

  constructor(private readonly deps: MaterializerDeps) {
    this.ops = new ChannelPool(deps.connection, OPERATION_CHANNELS);
  }

  /** The connection is new: exclusive queues died with the previous one, and its channels. */
  reset(): void {
    this.ownExclusive.clear();
    this.ops.reset();
  }

  /**
   * Objects the broker has in this vhost, as a topology: server-named queues under their labels,
   * vhost policies and outside clients' queues included; Warren's observer queue left out.
   */
  async brokerTopology(): Promise<Topology> {
    return listingToTopology(await this.readBroker(), {
      hidden: this.deps.hidden,
      serverNamed: this.serverNamed,
    });
  }

  /** The broker names of the queues outside clients own in `broker` (see client-owned.ts). */
  clientOwned(broker: Topology): Set<string> {
    return clientOwnedQueues(broker.queues, (name) => this.ownExclusive.has(name));
  }

  /** The vhost's listings: its definitions would be one read, but they leave exclusive queues out. */
  private async readBroker(): Promise<BrokerListing> {
    const { management: m, vhost } = this.deps;
    const [exchanges, queues, bindings, policies] = await Promise.all([
      m.listExchanges(vhost),
      m.listQueues(vhost, { stats: false }),
      m.listBindings(vhost),
      m.listPolicies(vhost),
    ]);
    return { exchanges, queues, bindings, policies };
  }

  /** The broker's name of a queue of `topology` (its label for a server-named one not named yet). */
  brokerQueueName(topology: Topology, queue: string): string {
    const inDiagram = topology.queues.find((q) => q.name === queue);
    if (inDiagram?.serverNamed === true) return this.serverNamed.brokerNameOf(queue) ?? queue;
    return queue;
  }

  /** The broker's name of a queue; undefined for a server-named one the broker has not named. */
  namedOnBroker(queue: Queue): string | undefined {
    return queue.serverNamed === true ? this.serverNamed.brokerNameOf(queue.name) : queue.name;
  }

  /** Label → broker name of the server-named queues of `topology` that the broker has named. */
  brokerNames(topology: Topology): Record<string, string> {
    const names: Record<string, string> = {};
    for (const q of topology.queues) {
      const brokerName = q.serverNamed === true ? this.serverNamed.brokerNameOf(q.name) : undefined;
      if (brokerName !== undefined) names[q.name] = brokerName;
    }
    return names;
  }

  /** Makes the broker match `next`; with `recreate`, changed objects are deleted and declared. */
  async apply(next: Topology, recreate: boolean): Promise<Materialized> {
    if (!this.deps.connection()) throw new BrokerDisconnectedError();
    const broker = await this.brokerTopology();
    // Clients' own queues are left as the broker has them, whatever the document says.
    const { current, wanted, applied } = splitClientObjects(next, broker, this.clientOwned(broker));
    // Queues are compared by diff key, so a server-named queue and a named one never match.
    const had = withDiffKeys(current);
    const want = withDiffKeys(wanted);
    const diff = diffTopology(had, want, { recreate });
    const report = new ApplyReport(want);

    // Policies first, so queues and exchanges get theirs from the moment they exist.
    const policies = diffPolicies(current.policies ?? [], wanted.policies ?? []);
    await applyPolicies(this.deps.management, this.deps.vhost, policies, report);
    await this.unbind(diff.unbind, report);
    await this.deleteQueues(diff.deleteQueues, report);
    await this.deleteExchanges(diff.deleteExchanges, report);
    await this.declareExchanges(diff.declareExchanges, report);
    await this.declareQueues(diff.declareQueues, had.queues, recreate, report);
    await this.bind(
      diff.bind.filter((b) => report.canBind(b)),
      report,
    );
    const { nodeErrors, declared, deleted } = report;
    return { nodeErrors, changes: { declared, deleted }, topology: applied };
  }

  /** A server-named queue's diff key resolves to whatever the broker called it. */
  private queueOnBroker(key: string): string {
    const label = labelOfKey(key);
    return label === undefined ? key : (this.serverNamed.brokerNameOf(label) ?? key);
  }

  /** queue.bind or exchange.bind (or their unbind), to the destination's broker name. */
  private binding(ch: Channel, b: Binding, method: 'bind' | 'unbind'): Promise<unknown> {
    const args = [b.source, b.routingKey, b.arguments ?? {}] as const;
    if (b.destinationType === 'exchange')
      return method === 'bind'
        ? ch.bindExchange(b.destination, ...args)
        : ch.unbindExchange(b.destination, ...args);
    const queue = this.queueOnBroker(b.destination);
    return method === 'bind' ? ch.bindQueue(queue, ...args) : ch.unbindQueue(queue, ...args);
  }

  private async unbind(bindings: Binding[], report: ApplyReport): Promise<void> {
    const results = await this.ops.each(bindings, (ch, b) => this.binding(ch, b, 'unbind'));
    bindings.forEach((b, i) => report.outcome(results[i], 'binding', b.id, b));
  }

  private async deleteQueues(queues: Queue[], report: ApplyReport): Promise<void> {
    const results = await this.ops.each(queues, (ch, q) =>
      ch.deleteQueue(this.queueOnBroker(q.name)),
    );
    queues.forEach((q, i) => {
      const brokerName = this.queueOnBroker(q.name);
      if (!report.outcome(results[i], 'queue', q.name, q)) return;
      this.ownExclusive.delete(brokerName);
      const label = labelOfKey(q.name);
      if (label !== undefined) this.serverNamed.forget(label);
      report.deleted.push(`queue ${displayName(q.name)}`);
    });
  }

  private async deleteExchanges(exchanges: Exchange[], report: ApplyReport): Promise<void> {
    // One at a time: RabbitMQ 3.10 crashes the channel and closes the connection (541) when two
    // exchanges bound to each other are deleted at once (rabbit_binding:process_deletions).
    const results: PromiseSettledResult<unknown>[] = [];
    for (const x of exchanges)
      results.push(...(await this.ops.each([x], (ch) => ch.deleteExchange(x.name))));
    exchanges.forEach((x, i) => {
      if (report.outcome(results[i], 'exchange', x.name, x))
        report.deleted.push(`exchange ${x.name}`);
    });
  }

  private async declareExchanges(exchanges: Exchange[], report: ApplyReport): Promise<void> {
    const results = await this.ops.each(exchanges, (ch, x) =>
      ch.assertExchange(x.name, x.type, exchangeOptions(x)),
    );
    exchanges.forEach((x, i) => {
      if (report.outcome(results[i], 'exchange', x.name, x))
        report.declared.push(`exchange ${x.name}`);
      else report.fail('exchange', x.name);
    });
  }

  private async declareQueues(
    queues: Queue[],
    had: Queue[],
    recreate: boolean,
    report: ApplyReport,
  ): Promise<void> {
    // The broker refuses to redeclare an `amq.gen-…` name at all, so a changed server-named
    // queue is refused here, in the words the broker uses for named ones.
    const current = new Map(had.map((q) => [q.name, q]));
    const toDeclare = queues.filter((q) => {
      const before = current.get(q.name);
      if (labelOfKey(q.name) === undefined || recreate || before === undefined) return true;
      const setting = firstDifference(before, q);
      report.refused(
        'queue',
        q.name,
        'PRECONDITION_FAILED',
        changedMessage('queue', displayName(q.name), setting),
        `PRECONDITION_FAILED - inequivalent arg '${setting}' for server-named queue '${this.queueOnBroker(q.name)}'`,
      );
      report.fail('queue', q.name);
      return false;
    });
    const results = await this.ops.each(toDeclare, (ch, q) =>
      ch.assertQueue(labelOfKey(q.name) === undefined ? q.name : '', queueOptions(q)),
    );
    toDeclare.forEach((q, i) => {
      const result = results[i];
      if (!report.outcome(result, 'queue', q.name, q)) {
        report.fail('queue', q.name);
        return;
      }
      const brokerName =
        result?.status === 'fulfilled' ? result.value.queue : this.queueOnBroker(q.name);
      const label = labelOfKey(q.name);
      if (label !== undefined) this.serverNamed.set(label, brokerName);
      if (q.exclusive) this.ownExclusive.add(brokerName);
      report.declared.push(`queue ${displayName(q.name)}`);
    });
  }

  private async bind(bindings: Binding[], report: ApplyReport): Promise<void> {
    const results = await this.ops.each(bindings, (ch, b) => this.binding(ch, b, 'bind'));
    bindings.forEach((b, i) => {
      if (report.outcome(results[i], 'binding', b.id, b))
        report.declared.push(
          `binding ${b.source} -> ${displayName(b.destination)} (${b.routingKey})`,
        );
    });
  }
}

function exchangeOptions(x: Exchange) {
  return {
    durable: x.durable,
    autoDelete: x.autoDelete,
    internal: x.internal,
    arguments: x.arguments ?? {},
  };
}

function queueOptions(q: Queue) {
  return {
    durable: q.durable,
    exclusive: q.exclusive,
    autoDelete: q.autoDelete,
    arguments: q.arguments ?? {},
  };
}
