/**
 * The header Warren's own producers (and its publish form) put on each message, naming the
 * producer node: the firehose reports it back, so each routed message is drawn from its node.
 */
export const PRODUCER_HEADER = 'x-warren-producer';

/**
 * The header on messages a consumer node publishes (RPC replies, republished failures), naming
 * the consumer node: a `routed` event of Warren's own publish names it (`consumerId`).
 */
export const CONSUMER_HEADER = 'x-warren-consumer';
