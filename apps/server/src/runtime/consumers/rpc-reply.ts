import { randomUUID } from 'node:crypto';
import type { ConsumeMessage, Options } from 'amqplib';
import type { FailureStep } from '@warren/topology';
import { brokerRefusal } from '../../broker/amqp-errors';
import { CONSUMER_HEADER } from '../../broker/message-headers';
import type { ConsumerContext } from './consumer-context';
import type { Link } from './consumer-link';
import { consumerNodeError } from './consumer-messages';

export { CONSUMER_HEADER };

/**
 * RPC: the reply goes to `reply_to` through the default exchange, with the correlation id.
 * Says what was sent, for the consumer's log.
 */
export async function reply(
  ctx: ConsumerContext,
  link: Link,
  message: ConsumeMessage,
): Promise<string | undefined> {
  const replyTo = textOf(message.properties.replyTo);
  if (replyTo === undefined) return undefined;
  const correlationId = textOf(message.properties.correlationId);
  try {
    await link.publish('', replyTo, Buffer.from(`reply: ${message.content.toString()}`), {
      messageId: randomUUID(),
      ...(correlationId === undefined ? {} : { correlationId }),
      contentType: textOf(message.properties.contentType) ?? 'text/plain',
      timestamp: Math.floor(Date.now() / 1000),
      headers: { [CONSUMER_HEADER]: ctx.config().id },
    });
    ctx.counts.replied += 1;
    ctx.changed();
    return correlationId === undefined
      ? `replied to '${replyTo}' (no correlation id)`
      : `replied to '${replyTo}' with correlation id '${correlationId}'`;
  } catch (error) {
    if (!link.alive) return undefined;
    publishFailed(ctx, '', error, `reply to '${replyTo}'`);
    return undefined;
  }
}

/** Publishes a failed message to the error or parking exchange; false when the broker refused. */
export async function republish(
  ctx: ConsumerContext,
  link: Link,
  message: ConsumeMessage,
  step: Extract<FailureStep, { kind: 'republish' }>,
  attempts: number,
): Promise<boolean> {
  const config = ctx.config();
  const headers: Record<string, unknown> = {
    ...(message.properties.headers ?? {}),
    [CONSUMER_HEADER]: config.id,
  };
  if (step.to === 'error') {
    // The header names Spring AMQP's RepublishMessageRecoverer uses, so lessons carry over.
    headers['x-exception'] =
      `Processing failed ${attempts} time${attempts === 1 ? '' : 's'} in consumer '${config.name}'.`;
    headers['x-original-exchange'] = message.fields.exchange;
    headers['x-original-routingKey'] = message.fields.routingKey;
  }
  try {
    await link.publish(step.exchange, step.routingKey, message.content, {
      ...copiedProperties(message),
      headers,
    });
    return true;
  } catch (error) {
    if (link.alive) publishFailed(ctx, step.exchange, error, `republish to '${step.exchange}'`);
    return false;
  }
}

function publishFailed(ctx: ConsumerContext, exchange: string, error: unknown, what: string) {
  const config = ctx.config();
  const refusal = brokerRefusal(error);
  const name = config.name;
  const message =
    refusal?.code === 'BROKER_NOT_FOUND'
      ? `Consumer '${name}' could not ${what}: exchange '${exchange}' does not exist on the broker.`
      : `Consumer '${name}' could not ${what}: ${refusal?.brokerMessage ?? (error instanceof Error ? error.message : String(error))}`;
  const action = config.onFailure;
  let field = '';
  if (exchange !== '' && action?.kind === 'retry') field = '/onFailure/errorExchange';
  if (exchange !== '' && action?.kind === 'delayed-retry') field = '/onFailure/parkingExchange';
  ctx.env.emit({
    type: 'node-error',
    errors: [
      consumerNodeError(
        config,
        ctx.path(),
        refusal?.code ?? 'BROKER_REFUSED',
        message,
        refusal?.brokerMessage,
        field,
      ),
    ],
  });
}

export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

export function messageIdOf(message: ConsumeMessage): string | null {
  return textOf(message.properties.messageId) ?? null;
}

/** The basic properties of a delivered message, to publish a copy of it. */
function copiedProperties(message: ConsumeMessage): Options.Publish {
  const p = message.properties;
  const options: Options.Publish = {};
  const text = {
    contentType: textOf(p.contentType),
    contentEncoding: textOf(p.contentEncoding),
    correlationId: textOf(p.correlationId),
    replyTo: textOf(p.replyTo),
    messageId: textOf(p.messageId),
    type: textOf(p.type),
    appId: textOf(p.appId),
  };
  for (const [key, value] of Object.entries(text)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  if (typeof p.deliveryMode === 'number') options.deliveryMode = p.deliveryMode;
  if (typeof p.priority === 'number') options.priority = p.priority;
  if (typeof p.timestamp === 'number') options.timestamp = p.timestamp;
  // The per-message TTL is left out: a parked message should not expire on its way.
  return options;
}
