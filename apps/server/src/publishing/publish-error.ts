import { brokerRefusal } from '../broker/amqp-errors';
import { WarrenError } from '../errors/warren-error';

export class PublishError extends WarrenError {
  constructor(
    override readonly code:
      | 'BROKER_NOT_FOUND'
      | 'ACCESS_REFUSED'
      | 'PRECONDITION_FAILED'
      | 'BROKER_REFUSED'
      | 'PUBLISH_TIMEOUT'
      | 'BROKER_BLOCKED',
    message: string,
    readonly path?: string,
  ) {
    super(code, message, path ? { path } : {});
    this.name = 'PublishError';
  }
}

/** amqplib fails a confirm-channel publish with this error when the broker answers basic.nack. */
export function isNack(error: unknown): boolean {
  return error instanceof Error && error.message === 'message nacked';
}

/** A publish the broker refused (closing the channel), as an error naming the field at fault. */
export function publishFailure(error: unknown, exchange: string): unknown {
  const refusal = brokerRefusal(error);
  if (refusal?.code === 'BROKER_NOT_FOUND')
    return new PublishError(
      'BROKER_NOT_FOUND',
      `Exchange '${exchange}' does not exist on the broker; apply the diagram first.`,
      '/exchange',
    );
  if (refusal)
    return new PublishError(
      refusal.code === 'INTERNAL' ? 'BROKER_REFUSED' : (refusal.code as PublishError['code']),
      refusal.brokerMessage,
    );
  return error;
}
