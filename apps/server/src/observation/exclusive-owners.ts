import type { Topology } from '@warren/topology';
import type { BrokerObjectEvent } from './broker-events';

/**
 * Which outside client owns each exclusive queue. The management API does not tell (its
 * `owner_pid_details` stays empty without queue statistics), but the broker's events do:
 * `queue.created` names the owning connection's process (`owner_pid`), and that connection's
 * `connection.created` named the same process (`pid`) with the connection's name, which is the
 * client's id everywhere in Warren.
 */

/** Connections remembered at most, should the broker's closing events get lost. */
const MAX_CONNECTIONS = 10_000;

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

export class ExclusiveOwners {
  /** Connection name by the broker's process id of the connection. */
  private readonly connections = new Map<string, string>();
  /** Owning process by exclusive queue name. */
  private readonly queues = new Map<string, string>();

  /** Feeds one of the vhost's broker events (connection and queue events matter). */
  onEvent(event: BrokerObjectEvent): void {
    const h = event.headers;
    switch (event.key) {
      case 'connection.created': {
        const pid = headerText(h.pid);
        const name = headerText(h.name);
        if (pid === undefined || name === undefined) return;
        if (this.connections.size >= MAX_CONNECTIONS) this.connections.clear();
        this.connections.set(pid, name);
        return;
      }
      case 'connection.closed': {
        const pid = headerText(h.pid);
        if (pid !== undefined) this.connections.delete(pid);
        return;
      }
      case 'queue.created': {
        const name = headerText(h.name);
        const owner = headerText(h.owner_pid);
        if (name !== undefined && owner !== undefined && h.exclusive === true)
          this.queues.set(name, owner);
        return;
      }
      case 'queue.deleted': {
        const name = headerText(h.name);
        if (name !== undefined) this.queues.delete(name);
        return;
      }
      default:
        return;
    }
  }

  /** The owning client's id of an exclusive queue, when the broker told. */
  ownerOf(queue: string): string | undefined {
    const pid = this.queues.get(queue);
    return pid === undefined ? undefined : this.connections.get(pid);
  }

  /**
   * `kind:name` → owner of the outside objects of `topology` one client owns: its exclusive
   * queues and the bindings to them. `bindingName` names a binding as `outsideNames` does.
   */
  owners(
    topology: Topology,
    outsideNames: readonly string[],
    bindingName: (b: Topology['bindings'][number]) => string,
  ): Record<string, string> {
    const outside = new Set(outsideNames);
    const owners: Record<string, string> = {};
    const ownerOfQueue = new Map<string, string>();
    for (const q of topology.queues) {
      const owner = q.exclusive ? this.ownerOf(q.name) : undefined;
      if (owner === undefined || !outside.has(`queue:${q.name}`)) continue;
      ownerOfQueue.set(q.name, owner);
      owners[`queue:${q.name}`] = owner;
    }
    for (const b of topology.bindings) {
      const owner = b.destinationType === 'queue' ? ownerOfQueue.get(b.destination) : undefined;
      const key = `binding:${bindingName(b)}`;
      if (owner !== undefined && outside.has(key)) owners[key] = owner;
    }
    return owners;
  }
}
