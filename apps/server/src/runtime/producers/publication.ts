import { randomUUID } from 'node:crypto';
import type { Options } from 'amqplib';
import { producerMessage, type Producer } from '@warren/topology';
import type { ProducerState } from '@warren/protocol';
import { PRODUCER_HEADER } from '../../broker/message-headers';

export type ChannelMode = ProducerState['mode'];

export function channelModeOf(producer: Producer): ChannelMode {
  if (producer.transactions === true) return 'transactions';
  // An outbox has to hear from the broker about every message.
  if (producer.confirms !== false || producer.outbox !== undefined) return 'confirms';
  return 'plain';
}

/** One message as it goes to the broker; a reliable producer sends the same one again. */
export interface Publication {
  messageId: string;
  exchange: string;
  /** The routing key as the diagram says it (a server-named queue's label). */
  routingKey: string;
  brokerRoutingKey: string;
  content: Buffer;
  options: Options.Publish;
  /** Sends of this message so far. */
  attempts: number;
}

/** What the broker made of one send of a publication. */
export type Outcome =
  | { kind: 'confirmed' }
  | { kind: 'nacked' }
  /** Published on a channel without confirms or transactions: nothing more will be heard. */
  | { kind: 'sent' }
  | { kind: 'lost'; error: string };

/**
 * The `n`th message of a producer, with its settings. The default exchange routes by queue name:
 * a server-named queue's label means its broker name there, as the diagram draws it.
 */
export function buildPublication(
  producer: Producer,
  n: number,
  brokerQueueName: (queue: string) => string,
): Publication {
  const message = producerMessage(producer, n, { now: Date.now(), newId: randomUUID });
  const { headers, ...properties } = message.properties;
  return {
    messageId: properties.messageId,
    exchange: message.exchange,
    routingKey: message.routingKey,
    brokerRoutingKey:
      message.exchange === '' ? brokerQueueName(message.routingKey) : message.routingKey,
    content: Buffer.from(message.payload),
    options: {
      ...properties,
      mandatory: message.mandatory,
      headers: { ...headers, [PRODUCER_HEADER]: producer.id },
    },
    attempts: 0,
  };
}
