import type { Producer } from '@warren/topology';
import type { EventPayload, NodeError } from '@warren/protocol';
import type { BrokerRefusal } from '../../broker/amqp-errors';
import { WarrenError } from '../../errors/warren-error';

/** A producer id that is not in the session's applied diagram. */
export class ProducerNotFoundError extends WarrenError {
  constructor(readonly producerId: string) {
    super(
      'NOT_FOUND',
      `There is no producer '${producerId}' in the applied diagram; apply the diagram first.`,
      { path: '/producerId' },
    );
    this.name = 'ProducerNotFoundError';
  }
}

/** A request a producer cannot carry out with its settings (e.g. start without a rate). */
export class ProducerSettingsError extends WarrenError {
  constructor(
    message: string,
    /** JSON pointer to the setting at fault, inside the topology document. */
    readonly path: string,
  ) {
    super('INVALID_REQUEST', message, { path });
    this.name = 'ProducerSettingsError';
  }
}

/** The producer could not reach the broker (its own connection failed to open). */
export class ProducerConnectionError extends WarrenError {
  constructor(producer: Pick<Producer, 'name' | 'id'>, cause: unknown) {
    super(
      'BROKER_UNAVAILABLE',
      `Producer '${producer.name || producer.id}' could not connect to RabbitMQ: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
    this.name = 'ProducerConnectionError';
  }
}

/** A broker refusal of a producer's publish, in words that tell a learner what to do. */
export function describePublishRefusal(
  producer: Pick<Producer, 'name' | 'id' | 'exchange'>,
  refusal: BrokerRefusal,
): string {
  const name = producer.name || producer.id;
  const who = `Producer '${name}'`;
  const exchange =
    producer.exchange === '' ? 'the default exchange' : `exchange '${producer.exchange}'`;
  const detail = refusal.brokerMessage.replace(/^[A-Z_]+ - /, '');
  if (refusal.code === 'BROKER_NOT_FOUND' && /no exchange/.test(refusal.brokerMessage)) {
    return `${who} cannot publish: ${exchange} does not exist on the broker. Apply the diagram to declare it again.`;
  }
  if (refusal.code === 'ACCESS_REFUSED' && /internal exchange/.test(refusal.brokerMessage)) {
    return `${who} cannot publish to ${exchange}: it is internal, so only other exchanges may route messages into it.`;
  }
  if (refusal.code === 'ACCESS_REFUSED') {
    return `${who} was refused by the broker: ${detail}`;
  }
  return `The broker refused a message of producer '${name}': ${detail}`;
}

/** The same refusal is reported on the node again only after this long. */
const NODE_ERROR_REPEAT_MS = 5000;

/**
 * Puts a producer's refusals on its node: a running producer meets the same one on every tick,
 * and the node says it again only after a while.
 */
export class RepeatedNodeErrors {
  private last = { message: '', at: 0 };

  constructor(private readonly emit: (event: EventPayload) => unknown) {}

  report(error: NodeError): void {
    const now = Date.now();
    if (error.message === this.last.message && now - this.last.at <= NODE_ERROR_REPEAT_MS) return;
    this.last = { message: error.message, at: now };
    this.emit({ type: 'node-error', errors: [error] });
  }
}
