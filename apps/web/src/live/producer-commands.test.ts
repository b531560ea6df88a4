import { describe, expect, it } from 'vitest';
import { describeSend, type SendResult } from './producer-commands';

const result = (patch: Partial<SendResult> = {}): SendResult => ({
  messageId: 'm1',
  routingKey: 'k',
  routedQueues: ['q1'],
  returned: undefined,
  confirmed: true,
  nacked: false,
  error: undefined,
  ...patch,
});

describe('describeSend', () => {
  it('words one message like a plain publish', () => {
    expect(describeSend([result({ routedQueues: ['a', 'b'] })]).text).toBe('routed to a, b');
    expect(describeSend([result({ routedQueues: [] })])).toMatchObject({
      text: 'unroutable',
      tone: 'warn',
    });
    expect(
      describeSend([
        result({ routedQueues: [], returned: { replyCode: 312, replyText: 'NO_ROUTE' } }),
      ]).text,
    ).toBe('returned 312 NO_ROUTE');
    expect(describeSend([result({ nacked: true })]).text).toBe('nacked by the broker');
    expect(describeSend([result({ error: 'NOT_FOUND' })]).text).toBe('failed: NOT_FOUND');
  });

  it('tallies several messages and speaks for each of them', () => {
    const described = describeSend([
      result({ messageId: 'm1' }),
      result({ messageId: 'm2', routedQueues: [] }),
      result({ messageId: 'm3', nacked: true }),
    ]);
    expect(described.text).toBe('3 sent · routed to q1 · 1 unroutable · 1 nacked');
    expect(described.tone).toBe('error');
    expect(described.messageIds).toEqual(['m1', 'm2', 'm3']);
  });
});
