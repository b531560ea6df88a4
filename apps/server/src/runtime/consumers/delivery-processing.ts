import type { ConsumeMessage } from 'amqplib';
import { afterFailure, processingDelayMs, processingFails, rejectedCount } from '@warren/topology';
import { sleep } from '../../broker/waits';
import type { ConsumerContext } from './consumer-context';
import type { Link } from './consumer-link';
import { messageIdOf, reply, republish } from './rpc-reply';

type Settlement = 'ack' | 'requeue' | 'reject';
interface Detail {
  attempt?: number;
  reason?: string;
}

/** A delivery arrived on `link`: it is counted and waits its turn. */
export function deliver(ctx: ConsumerContext, link: Link, message: ConsumeMessage): void {
  if (!link.alive) return;
  ctx.counts.received += 1;
  if (ctx.config().autoAck) {
    // With auto-ack the broker forgot the message as it delivered it.
    ctx.counts.acked += 1;
    emitAction(ctx, 'acked', 'auto-ack', message);
  } else {
    ctx.counts.inFlight += 1;
  }
  ctx.changed();
  link.backlog.push(message);
  void work(ctx, link);
}

/** One delivery at a time, in order, like a single-threaded worker. */
async function work(ctx: ConsumerContext, link: Link): Promise<void> {
  if (link.working) return;
  link.working = true;
  try {
    while (link.alive) {
      const message = link.backlog.shift();
      if (message === undefined) break;
      try {
        await process(ctx, link, message);
      } catch (error) {
        ctx.env.log.warn({ err: error, consumer: ctx.config().id }, 'consumer failed on a message');
      }
    }
  } finally {
    link.working = false;
  }
}

/**
 * Processing time, then success (ack, with an RPC reply first) or failure, settled as the
 * consumer's failure action decides: retry in place, requeue, reject (dead-letter), republish.
 */
async function process(ctx: ConsumerContext, link: Link, message: ConsumeMessage): Promise<void> {
  const config = ctx.config();
  const messageId = messageIdOf(message);
  if (config.idempotent === true && messageId !== null && ctx.seen.has(messageId)) {
    ctx.counts.duplicates += 1;
    ctx.env.emit({ type: 'duplicate', messageId, queue: config.queue, consumerId: config.id });
    settle(ctx, link, message, 'ack', { reason: 'duplicate message id; skipped' });
    return;
  }
  const retrying = config.onFailure?.kind === 'retry';
  let attempt = 1;
  for (;;) {
    const delay = processingDelayMs(config.processingMs, ctx.random);
    if (delay > 0) await sleep(delay, link.abort.signal);
    if (!link.alive) return;
    const attemptField = retrying ? { attempt } : {};
    if (!processingFails(config.failureRate, ctx.random)) {
      const replied = config.rpcReply === true ? await reply(ctx, link, message) : undefined;
      if (!link.alive) return;
      settle(ctx, link, message, 'ack', {
        ...attemptField,
        ...(replied === undefined ? {} : { reason: replied }),
      });
      if (config.idempotent === true && messageId !== null) ctx.seen.remember(messageId);
      return;
    }
    const step = afterFailure(config.onFailure, {
      attempt,
      rejectedBefore: rejectedCount(
        message.properties.headers,
        ctx.env.brokerQueueName(config.queue),
      ),
      routingKey: message.fields.routingKey,
    });
    if (step.kind === 'retry') {
      ctx.env.emit({
        type: 'retrying',
        messageId,
        queue: config.queue,
        consumerId: config.id,
        attempt: step.attempt,
        delayMs: step.delayMs,
      });
      await sleep(step.delayMs, link.abort.signal);
      if (!link.alive) return;
      attempt = step.attempt;
      continue;
    }
    if (step.kind === 'republish') {
      const published = await republish(ctx, link, message, step, attempt);
      if (!link.alive) return;
      if (published) settle(ctx, link, message, 'ack', { ...attemptField, reason: step.reason });
      else
        settle(ctx, link, message, 'reject', {
          ...attemptField,
          reason: `could not republish to '${step.exchange}'; rejected`,
        });
      return;
    }
    settle(ctx, link, message, step.kind, { ...attemptField, reason: step.reason });
    return;
  }
}

/**
 * basic.ack / basic.nack(requeue) / basic.reject(no requeue) on the channel that delivered the
 * message. False when that channel is gone: the broker has already put the message back.
 */
function settle(
  ctx: ConsumerContext,
  link: Link,
  message: ConsumeMessage,
  outcome: Settlement,
  detail: Detail,
): boolean {
  // With auto-ack the broker settled it on delivery; nothing is left to send.
  if (ctx.config().autoAck || !link.alive) return false;
  try {
    if (outcome === 'ack') link.channel.ack(message);
    else if (outcome === 'requeue') link.channel.nack(message, false, true);
    else link.channel.reject(message, false);
  } catch {
    return false;
  }
  const counts = ctx.counts;
  counts.inFlight -= 1;
  if (outcome === 'ack') {
    counts.acked += 1;
    emitAction(ctx, 'acked', 'basic.ack', message, detail);
  } else if (outcome === 'requeue') {
    counts.nacked += 1;
    counts.requeued += 1;
    emitAction(ctx, 'requeued', 'basic.nack', message, detail);
  } else {
    counts.rejected += 1;
    emitAction(ctx, 'rejected', 'basic.reject', message, detail);
  }
  ctx.changed();
  return true;
}

function emitAction(
  ctx: ConsumerContext,
  type: 'acked' | 'rejected' | 'requeued',
  method: 'basic.ack' | 'basic.nack' | 'basic.reject' | 'auto-ack',
  message: ConsumeMessage,
  detail: Detail = {},
): void {
  const config = ctx.config();
  ctx.env.emit({
    type,
    method,
    messageId: messageIdOf(message),
    queue: config.queue,
    consumerId: config.id,
    ...detail,
  });
}
