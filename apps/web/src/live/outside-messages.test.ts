import { describe, expect, it } from 'vitest';
import type { WarrenEvent } from '@warren/protocol';
import { OUTSIDE_MESSAGES_SIZE, outsideMessages, recordOutsideMessages } from './outside-messages';

const routed = (seq: number, client?: string): WarrenEvent => ({
  type: 'routed',
  seq,
  at: seq,
  messageId: null,
  exchange: '',
  routingKey: 'rpc_queue',
  routedQueues: ['rpc_queue'],
  outside: client !== undefined,
  ...(client === undefined ? {} : { outsideClientId: client }),
  messageKey: `k-${seq}`,
  properties: { correlationId: `c-${seq}`, replyTo: 'amq.rabbitmq.reply-to.x' },
});

describe('outside messages', () => {
  it('keeps what each outside client sent and received, with the traced properties', () => {
    recordOutsideMessages([
      routed(1, 'abc'),
      routed(2),
      {
        type: 'delivered',
        seq: 3,
        at: 3,
        messageId: null,
        queue: 'rpc_queue',
        redelivered: false,
        outsideClientId: 'srv',
        messageKey: 'k-1',
      },
    ]);
    expect(outsideMessages('abc')).toEqual([
      expect.objectContaining({
        direction: 'sent',
        messageKey: 'k-1',
        where: "(default) 'rpc_queue'",
        properties: { correlationId: 'c-1', replyTo: 'amq.rabbitmq.reply-to.x' },
      }),
    ]);
    expect(outsideMessages('srv')).toEqual([
      expect.objectContaining({ direction: 'received', messageKey: 'k-1', where: 'rpc_queue' }),
    ]);
  });

  it('keeps only the last few per client', () => {
    recordOutsideMessages(
      Array.from({ length: OUTSIDE_MESSAGES_SIZE + 5 }, (_, i) => routed(100 + i, 'busy')),
    );
    expect(outsideMessages('busy')).toHaveLength(OUTSIDE_MESSAGES_SIZE);
    expect(outsideMessages('busy').at(-1)?.seq).toBe(100 + OUTSIDE_MESSAGES_SIZE + 4);
  });
});
