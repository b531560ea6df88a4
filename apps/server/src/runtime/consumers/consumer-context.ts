import type { Channel, ChannelModel } from 'amqplib';
import type { Consumer, RandomSource, SeenMessageIds } from '@warren/topology';
import type { ConsumerState, EventPayload } from '@warren/protocol';
import type { ConnectionLog } from '../../broker/connection';

export interface ConsumerEnvironment {
  sessionId: string;
  /** AMQP URL of the session's vhost. */
  url: string;
  emit: (event: EventPayload) => void;
  /** The broker's name of a queue of the diagram (the `amq.gen-…` name of a server-named one). */
  brokerQueueName: (queue: string) => string;
  /** The session's own connection: the only one allowed to consume the session's exclusive queues. */
  sessionConnection: () => ChannelModel | undefined;
  /**
   * Tells the session that deliveries on `channel` are this consumer's, so the broker's trace
   * of each names it; returns the undo.
   */
  claimChannel: (channel: Channel, consumerId: string) => () => void;
  log: ConnectionLog;
}

/** Where a consumer sits in the diagram, which decides how it connects. */
export interface ConsumerPlacement {
  /** JSON pointer of the consumer in the topology, for node errors. */
  path: string;
  /** Its queue is exclusive: it consumes on the session's connection. */
  exclusive: boolean;
}

export type ConsumerCounts = Omit<
  ConsumerState,
  'consumerId' | 'name' | 'queue' | 'status' | 'error'
>;

/** What processing a delivery needs of its consumer. */
export interface ConsumerContext {
  config: () => Consumer;
  /** JSON pointer of the consumer in the topology, for node errors. */
  path: () => string;
  readonly counts: ConsumerCounts;
  readonly env: ConsumerEnvironment;
  readonly random: RandomSource;
  readonly seen: SeenMessageIds;
  /** The counts changed: a consumer-state event is due. */
  changed: () => void;
}
