import type { WarrenEvent } from '@warren/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearFates, FATE_LOG_SIZE, fateLog, fatesOf, recordFates } from './fates';

const acked = (seq: number, messageId: string): WarrenEvent => ({
  type: 'acked',
  seq,
  at: 1000 + seq,
  method: 'basic.ack',
  messageId,
  queue: 'work',
  consumerId: 'c1',
});

describe('message fates', () => {
  beforeEach(() => clearFates());

  it('keeps what a consumer did per consumer and per queue', () => {
    recordFates([
      acked(1, 'm1'),
      {
        type: 'rejected',
        seq: 2,
        at: 1002,
        method: 'basic.reject',
        messageId: 'm2',
        queue: 'work',
        consumerId: 'c1',
        reason: 'failed (100% failure rate)',
      },
      {
        type: 'retrying',
        seq: 3,
        at: 1003,
        messageId: 'm3',
        queue: 'work',
        consumerId: 'c1',
        attempt: 2,
        delayMs: 400,
      },
      { type: 'queue-stats', seq: 4, at: 1004, queues: [] },
    ]);
    expect(fateLog('consumer:c1').map((f) => [f.kind, f.messageId, f.detail])).toEqual([
      ['acked', 'm1', 'basic.ack'],
      ['rejected', 'm2', 'basic.reject · failed (100% failure rate)'],
      ['retrying', 'm3', 'attempt 2 in 400 ms'],
    ]);
    expect(fateLog('queue:work').map((f) => f.kind)).toEqual(['acked', 'rejected']);
  });

  it('says where a dead letter went and marks inferred fates', () => {
    const [entry] = fatesOf({
      type: 'dead-lettered',
      seq: 1,
      at: 1,
      messageId: 'm1',
      queue: 'work',
      reason: 'rejected',
      exchange: 'dlx',
      routingKey: 'work',
      count: 2,
      inferred: false,
    });
    expect(entry?.keys).toEqual(['queue:work']);
    expect(entry?.fate.detail).toBe("rejected → dlx 'work' · x-death count 2");
    const [expired] = fatesOf({
      type: 'expired',
      seq: 2,
      at: 2,
      queue: 'work',
      count: 3,
      inferred: true,
    });
    expect(expired?.fate).toMatchObject({
      kind: 'expired',
      detail: '3 messages expired',
      inferred: true,
    });
  });

  it('keeps only the last entries', () => {
    recordFates(Array.from({ length: FATE_LOG_SIZE + 5 }, (_, i) => acked(i + 1, `m${i + 1}`)));
    const log = fateLog('consumer:c1');
    expect(log).toHaveLength(FATE_LOG_SIZE);
    expect(log[0]?.messageId).toBe('m6');
    expect(log.at(-1)?.messageId).toBe(`m${FATE_LOG_SIZE + 5}`);
  });
});
