/**
 * Direct reply-to: an RPC client consumes the pseudo-queue `amq.rabbitmq.reply-to` and sends
 * requests with that reply_to; the broker rewrites it in each request to an address of the
 * client's channel (`amq.rabbitmq.reply-to.<encoded>`), which the firehose shows in the
 * request's properties. The server answers through the default exchange with that address as
 * routing key: the broker hands the reply to the requester's channel, and traces it as routed
 * to no queue, with no delivery. The requests tell whose channel each address is.
 */

/** The pseudo-queue an RPC client consumes its direct replies from. */
export const DIRECT_REPLY_QUEUE = 'amq.rabbitmq.reply-to';
/** The start of a direct reply-to address, as the broker rewrites a request's reply_to. */
export const DIRECT_REPLY_ADDRESS = `${DIRECT_REPLY_QUEUE}.`;
/** Addresses remembered at most (one per requesting channel, normally a handful). */
const MAX_ADDRESSES = 10_000;

/** Who sent a request: a consumer node run by Warren, or a client outside Warren. */
export type Requester = { consumerId: string } | { outsideClientId: string };

export const requesterId = (r: Requester): string =>
  'consumerId' in r ? r.consumerId : r.outsideClientId;

export class DirectReplyTo {
  /** Requester by reply address. */
  private readonly requesters = new Map<string, Requester>();

  /** A publish with `replyTo`, by `requester`: remembers whose channel a reply address is. */
  request(replyTo: string | undefined, requester: () => Requester): void {
    if (replyTo === undefined || !replyTo.startsWith(DIRECT_REPLY_ADDRESS)) return;
    if (this.requesters.size >= MAX_ADDRESSES) this.requesters.clear();
    this.requesters.set(replyTo, requester());
  }

  /** The requester a publish replies to, when it is a direct reply to a known request. */
  requesterOf(exchange: string, routingKey: string): Requester | undefined {
    if (exchange !== '' || !routingKey.startsWith(DIRECT_REPLY_ADDRESS)) return undefined;
    return this.requesters.get(routingKey);
  }
}
