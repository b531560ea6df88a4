import { TOPOLOGY_VERSION, type Binding, type Topology } from '../model';
import { exchange, queue } from './builders';

/**
 * A made-up diagram of about `size` nodes without positions, the same for the same size:
 * a tenth producers, a tenth exchanges (some bound to others), three fifths queues (some with
 * TTL, length limit and dead-letter badges, a few bound to nothing) and a fifth consumers.
 */
export function generatedTopology(size: number): Topology {
  let seed = size * 7919 + 17;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const count = (share: number) => Math.max(1, Math.round(size * share));
  const exchangeCount = count(0.1);
  const producerCount = count(0.1);
  const consumerCount = count(0.2);
  const queueCount = Math.max(1, size - exchangeCount - producerCount - consumerCount);

  const exchanges = Array.from({ length: exchangeCount }, (_, i) =>
    exchange(`gen.x${i}`, i % 3 === 0 ? 'fanout' : 'topic'),
  );
  const queues = Array.from({ length: queueCount }, (_, i) => {
    const args: Record<string, number | string> = {};
    if (i % 4 === 1) args['x-message-ttl'] = 30_000;
    if (i % 5 === 2) args['x-max-length'] = 1000;
    if (i % 7 === 3) args['x-dead-letter-exchange'] = `gen.x0`;
    return queue(`gen.q${i}`, Object.keys(args).length > 0 ? { arguments: args } : {});
  });
  const bindings: Binding[] = [];
  const bind = (source: string, destination: string, destinationType: Binding['destinationType']) =>
    bindings.push({
      id: `b${bindings.length}`,
      source,
      destination,
      destinationType,
      routingKey: `k.${bindings.length % 6}`,
    });
  // A few exchanges feed other exchanges further along.
  for (let i = 1; i < exchangeCount; i += 3) bind(`gen.x${i - 1}`, `gen.x${i}`, 'exchange');
  queues.forEach((q, i) => {
    // One queue in twelve is bound to nothing (declared for later, or by a client).
    if (i % 12 === 11) return;
    bind(`gen.x${Math.floor(random() * exchangeCount)}`, q.name, 'queue');
    if (random() < 0.3) bind(`gen.x${Math.floor(random() * exchangeCount)}`, q.name, 'queue');
  });
  const producers = Array.from({ length: producerCount }, (_, i) => ({
    id: `p${i}`,
    name: `gen.p${i}`,
    exchange: `gen.x${i % exchangeCount}`,
    routingKey: `k.${i % 6}`,
    payload: 'hello',
    mandatory: false,
  }));
  const consumers = Array.from({ length: consumerCount }, (_, i) => ({
    id: `c${i}`,
    name: `gen.c${i}`,
    queue: `gen.q${(i * 3) % queueCount}`,
    prefetch: 10,
    autoAck: false,
  }));
  return { version: TOPOLOGY_VERSION, exchanges, queues, bindings, producers, consumers };
}
