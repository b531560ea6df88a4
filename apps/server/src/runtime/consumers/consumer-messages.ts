import type { Consumer } from '@warren/topology';
import type { ErrorCode, NodeError } from '@warren/protocol';
import type { BrokerRefusal } from '../../broker/amqp-errors';
import { WarrenError } from '../../errors/warren-error';

/** A consumer action that its state does not allow (pause a stopped consumer). */
export class ConsumerActionError extends WarrenError {
  constructor(message: string) {
    // The consumer is there but cannot do this now (e.g. resume one that is not paused).
    super('INVALID_REQUEST', message, { path: '/consumerId' }, { status: 409 });
    this.name = 'ConsumerActionError';
  }
}

/** The consumer of an exclusive queue needs the session's own connection, which is down. */
export class SessionDisconnectedError extends Error {
  constructor() {
    super("The session's own connection is not up.");
    this.name = 'SessionDisconnectedError';
  }
}

/** Why a consumer could not connect, in words that tell a learner what to do. */
export function connectProblem(config: Consumer, error: unknown): string {
  const name = config.name;
  if (error instanceof SessionDisconnectedError) {
    return `Consumer '${name}' reads the exclusive queue '${config.queue}', which only the session's own connection may consume, and that connection is not up; retrying.`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  if (/connection limit/i.test(reason)) {
    return `Consumer '${name}' cannot connect: the session's vhost allows no more connections (${reason}). Remove some producers or consumers.`;
  }
  return `Consumer '${name}' cannot connect to RabbitMQ (${reason}); retrying.`;
}

/** The broker or the network took the consumer's connection (or its channel on a shared one). */
export function linkLost(config: Consumer, ownConnection: boolean, reason: string): string {
  const what = ownConnection ? 'connection' : 'channel';
  return `Consumer '${config.name}' lost its ${what} to RabbitMQ (${reason}); reconnecting.`;
}

/** The connection (or channel) was closed as a fault; it comes back after `reconnectMs`. */
export function closedAsFault(
  config: Consumer,
  ownConnection: boolean,
  reconnectMs: number,
): string {
  const what = ownConnection ? 'connection' : 'channel';
  return `Consumer '${config.name}' lost its ${what}: it was closed on purpose (fault injection). It reconnects in ${reconnectMs / 1000} s.`;
}

/** The broker cancelled the consumer because its queue was deleted. */
export function queueDeletedUnder(config: Consumer): string {
  return `Queue '${config.queue}' was deleted on the broker, so consumer '${config.name}' stopped receiving; it tries again shortly.`;
}

/** A refused basic.consume as an error on the consumer's queue, in words a learner can act on. */
export function consumeRefused(config: Consumer, path: string, refusal: BrokerRefusal): NodeError {
  const { name, queue } = config;
  let message: string;
  if (refusal.code === 'BROKER_NOT_FOUND') {
    message = `Consumer '${name}' cannot read from queue '${queue}': the broker has no such queue. Apply the diagram to declare it.`;
  } else if (refusal.replyCode === 405) {
    message = `Consumer '${name}' cannot read from queue '${queue}': the queue is exclusive to another connection.`;
  } else {
    const detail = refusal.brokerMessage.replace(/^[A-Z_]+ - /, '');
    message = `The broker refused consumer '${name}' on queue '${queue}': ${detail}`;
  }
  return consumerNodeError(config, path, refusal.code, message, refusal.brokerMessage, '/queue');
}

/** An error shown on the consumer's node; `field` points inside it (e.g. `/queue`). */
export function consumerNodeError(
  config: Consumer,
  path: string,
  code: ErrorCode,
  message: string,
  brokerMessage?: string,
  field = '',
): NodeError {
  return {
    nodeId: config.id,
    path: `${path}${field}`,
    code,
    message,
    ...(brokerMessage === undefined ? {} : { brokerMessage }),
  };
}
