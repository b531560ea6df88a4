import type { CompiledExchange } from '../compiled';
import { consistentHash } from './consistent-hash';
import { defaultExchange } from './default';
import { direct } from './direct';
import { fanout } from './fanout';
import { headers } from './headers';
import type { ExchangeRouter } from './router';
import { topic } from './topic';

export type { Decision, Destination, ExchangeRouter, RoutingMessage } from './router';

const ROUTERS: Record<CompiledExchange['type'], ExchangeRouter> = {
  default: defaultExchange,
  direct,
  fanout,
  topic,
  headers,
  'x-consistent-hash': consistentHash,
};

/** The routing rules of an exchange's type. */
export function routerOf(exchange: CompiledExchange): ExchangeRouter {
  return ROUTERS[exchange.type];
}
