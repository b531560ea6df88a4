import { describe, expect, it } from 'vitest';
import { Outbox } from './producer-outbox';

describe('Outbox', () => {
  it('takes a message from sending to confirmed', () => {
    const outbox = new Outbox({ timeoutMs: 100, maxAttempts: 3 });
    outbox.add('m1', 1000);
    expect(outbox.counts()).toEqual({ sending: 1, confirmed: 0, failed: 0 });
    expect(outbox.confirm('m1', 1010)).toBe(true);
    expect(outbox.confirm('m1', 1020)).toBe(false);
    expect(outbox.counts()).toEqual({ sending: 0, confirmed: 1, failed: 0 });
    expect(outbox.entries()).toEqual([
      { messageId: 'm1', status: 'confirmed', attempts: 1, updatedAt: 1010 },
    ]);
  });

  it('re-sends an unconfirmed message until maxAttempts, then fails it', () => {
    const outbox = new Outbox({ timeoutMs: 100, maxAttempts: 3 });
    outbox.add('m1', 0);
    expect(outbox.overdue(99)).toEqual([]);
    expect(outbox.overdue(100)).toEqual(['m1']);
    expect(outbox.fail('m1', 'no confirm within 100 ms', 100)).toBe('resend');
    outbox.resent('m1', 100);
    expect(outbox.overdue(150)).toEqual([]);
    expect(outbox.fail('m1', 'nacked by the broker', 150)).toBe('resend');
    outbox.resent('m1', 150);
    expect(outbox.get('m1')?.attempts).toBe(3);
    expect(outbox.fail('m1', 'channel closed', 160)).toBe('failed');
    expect(outbox.fail('m1', 'again', 170)).toBe('ignored');
    expect(outbox.confirm('m1', 180)).toBe(false);
    expect(outbox.counts()).toEqual({ sending: 0, confirmed: 0, failed: 1 });
    expect(outbox.entries()).toEqual([
      {
        messageId: 'm1',
        status: 'failed',
        attempts: 3,
        lastError: 'channel closed',
        updatedAt: 160,
      },
    ]);
  });

  it('accepts the confirm of an earlier send after a re-send', () => {
    const outbox = new Outbox({ timeoutMs: 10, maxAttempts: 2 });
    outbox.add('m1', 0);
    outbox.fail('m1', 'timeout', 10);
    outbox.resent('m1', 10);
    expect(outbox.confirm('m1', 12)).toBe(true);
    expect(outbox.get('m1')).toMatchObject({ status: 'confirmed', attempts: 2 });
  });

  it('keeps the newest entries, dropping finished ones first, and exact counts of all', () => {
    const outbox = new Outbox({ timeoutMs: 10, maxAttempts: 1, limit: 3 });
    outbox.add('keep-sending', 0);
    for (let i = 0; i < 10; i++) {
      outbox.add(`m${i}`, i);
      outbox.confirm(`m${i}`, i);
    }
    expect(outbox.entries().map((e) => e.messageId)).toEqual(['keep-sending', 'm8', 'm9']);
    expect(outbox.counts()).toEqual({ sending: 1, confirmed: 10, failed: 0 });
  });
});
