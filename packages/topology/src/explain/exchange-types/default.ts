import { emptyDecision, quote, routingKeysKey, type ExchangeRouter } from './router';

const REPLY_TO = 'amq.rabbitmq.reply-to.';

/**
 * The default exchange ('') looks at no bindings: rabbit_exchange:route/2 turns each routing
 * key (once each, sorted) into the queue of that name before anything is looked up, and a name
 * no queue has is dropped at delivery. Direct reply-to addresses go to the waiting client.
 */
export const defaultExchange: ExchangeRouter = {
  route(exchange, message, compiled) {
    const decision = emptyDecision(exchange);
    const keys =
      message.routingKeys.length > 1
        ? [...new Set(message.routingKeys)].sort()
        : message.routingKeys;
    for (const key of keys) {
      if (key.startsWith(REPLY_TO)) {
        decision.notes.push(
          `${quote(key)} is a direct reply-to address: the broker hands the message to the client waiting for the reply.`,
        );
      } else if (compiled.queues.has(key)) {
        decision.verdicts.push({
          source: '',
          destination: key,
          destinationType: 'queue',
          routingKey: key,
          matched: true,
          reason: `the default exchange delivers to the queue named by the routing key, ${quote(key)}`,
        });
        decision.destinations.push({ type: 'queue', name: key });
      } else {
        (decision.unknownQueues ??= []).push(key);
        decision.notes.push(
          key === ''
            ? `The routing key is empty, and the default exchange only delivers to the queue the routing key names, so the message goes nowhere.`
            : `The default exchange delivers to the queue the routing key names, and there is no queue ${quote(key)}, so the message goes nowhere.`,
        );
      }
    }
    return decision;
  },
  decisionKey: (_exchange, message) => routingKeysKey(message),
};
