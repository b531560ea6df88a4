import type { ChannelModel } from 'amqplib';
import { ChannelSlot, openChannel } from '../broker/channel-slot';

export interface FaultsHost {
  /** The session's connection, while it is up. */
  connection(): ChannelModel | undefined;
  /** The broker's name of a diagram queue (a server-named queue's `amq.gen-…`). */
  brokerQueueName(queue: string): string;
  /** Told what each fault removed, so it is not taken for expiries or an outsider's doing. */
  purged(brokerName: string, count: number): void;
  deleted(kind: 'exchange' | 'queue', name: string): void;
}

/**
 * Faults that act on the broker behind the diagram's back, on a channel of the session's
 * connection: a 404 or 406 closes only that channel.
 */
export class BrokerFaults {
  private readonly channel: ChannelSlot;

  constructor(private readonly host: FaultsHost) {
    this.channel = new ChannelSlot(() => host.connection(), openChannel);
  }

  /** The connection is new: so is the channel. */
  reset(): void {
    this.channel.reset();
  }

  /** Removes every ready message of a queue; how many the broker removed. */
  async purge(queue: string): Promise<number> {
    const brokerName = this.host.brokerQueueName(queue);
    const { messageCount } = await this.channel.run((ch) => ch.purgeQueue(brokerName));
    this.host.purged(brokerName, messageCount);
    return messageCount;
  }

  /**
   * Deletes an exchange or queue on the broker only; the diagram keeps it, marked missing
   * until the next Apply declares it again. Throws the broker's refusal (404 when it has none).
   */
  async deleteOnBroker(kind: 'exchange' | 'queue', name: string): Promise<{ messages?: number }> {
    let messages: number | undefined;
    if (kind === 'queue') {
      const brokerName = this.host.brokerQueueName(name);
      // queue.delete of a missing queue succeeds: ask first, so a typo gets a 404.
      await this.channel.run((ch) => ch.checkQueue(brokerName));
      messages = (await this.channel.run((ch) => ch.deleteQueue(brokerName))).messageCount;
    } else {
      await this.channel.run((ch) => ch.checkExchange(name));
      await this.channel.run((ch) => ch.deleteExchange(name));
    }
    this.host.deleted(kind, name);
    return messages === undefined ? {} : { messages };
  }
}
