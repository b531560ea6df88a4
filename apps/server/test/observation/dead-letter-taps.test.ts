import { describe, expect, it } from 'vitest';
import { binding, exchange, queue } from '@warren/topology/testing';
import { tapBindings } from '../../src/observation/dead-letter-taps';

/** Which bindings the observer queue needs so it sees every dead-lettering (no broker). */

// Each binding's id names its two ends and its key (tapBindings reads no ids).
const bind = (
  source: string,
  destination: string,
  routingKey: string,
  args?: Record<string, unknown>,
) =>
  binding(source, destination, routingKey, {
    id: `${source}-${destination}-${routingKey}`,
    ...(args ? { arguments: args } : {}),
  });

describe('tapBindings', () => {
  it('mirrors the bindings of a dead-letter exchange, one for a fanout', () => {
    const { bindings, chains } = tapBindings({
      version: 1,
      exchanges: [exchange('dlx', 'direct'), exchange('dlf', 'fanout'), exchange('other', 'topic')],
      queues: [
        queue('work', { arguments: { 'x-dead-letter-exchange': 'dlx' } }),
        queue('jobs', { arguments: { 'x-dead-letter-exchange': 'dlf' } }),
        queue('a'),
        queue('b'),
      ],
      bindings: [
        bind('dlx', 'a', 'work'),
        bind('dlx', 'b', 'work'),
        bind('dlx', 'b', 'jobs'),
        bind('dlf', 'a', 'x'),
        bind('dlf', 'b', 'y'),
        bind('other', 'a', '#'),
      ],
      producers: [],
    });
    expect(bindings).toEqual([
      { exchange: 'dlx', routingKey: 'work', arguments: {} },
      { exchange: 'dlx', routingKey: 'jobs', arguments: {} },
      { exchange: 'dlf', routingKey: '', arguments: {} },
    ]);
    expect([...chains.keys()]).toEqual(['work', 'jobs']);
  });

  it('follows a policy, an alternate exchange and header arguments; never a consistent hash', () => {
    const { bindings, chains } = tapBindings({
      version: 1,
      exchanges: [
        exchange('dlx', 'headers', { arguments: { 'alternate-exchange': 'ae' } }),
        exchange('ae', 'fanout'),
        exchange('hash', 'x-consistent-hash'),
      ],
      queues: [
        queue('work'),
        queue('hashed', { arguments: { 'x-dead-letter-exchange': 'hash' } }),
        queue('a'),
      ],
      bindings: [
        bind('dlx', 'a', '', { 'x-match': 'any', level: 'error' }),
        bind('ae', 'a', ''),
        bind('hash', 'a', '10'),
      ],
      producers: [],
      policies: [
        {
          id: 'p',
          name: 'dead-letters',
          pattern: '^work$',
          applyTo: 'queues',
          priority: 0,
          definition: { 'dead-letter-exchange': 'dlx' },
        },
      ],
    });
    expect(bindings).toEqual([
      { exchange: 'dlx', routingKey: '', arguments: { 'x-match': 'any', level: 'error' } },
      { exchange: 'ae', routingKey: '', arguments: {} },
    ]);
    expect([...(chains.get('work') ?? [])]).toEqual(['dlx', 'ae']);
    expect([...(chains.get('hashed') ?? [])]).toEqual(['hash']);
  });
});
