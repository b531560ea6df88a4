/**
 * The header Warren's own producers (and its publish form) put on each message, naming the
 * producer node: the firehose reports it back, so each routed message is drawn from its node.
 */
export const PRODUCER_HEADER = 'x-warren-producer';
