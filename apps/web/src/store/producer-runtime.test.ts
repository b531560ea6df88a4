import { describe, expect, it } from 'vitest';
import {
  listIn,
  nextProducerRuntime,
  notBehind,
  readProducerState,
  type ProducerState,
} from './producer-runtime';

const state = (sent: number, running = true): ProducerState => ({
  producerId: 'p',
  running,
  sent,
  confirmed: sent,
  nacked: 0,
  returned: 0,
});

describe('nextProducerRuntime', () => {
  it('measures the rate from the counters over a window of a second', () => {
    let runtime = nextProducerRuntime(undefined, state(0, false), 0);
    runtime = nextProducerRuntime(runtime, state(5), 100);
    expect(runtime.rate).toBe(0);
    runtime = nextProducerRuntime(runtime, state(30), 600);
    // Less than a second since the sample: the rate waits.
    expect(runtime.rate).toBe(0);
    runtime = nextProducerRuntime(runtime, state(50), 1100);
    expect(runtime.rate).toBe(50);
    expect(runtime.sent).toBe(50);
    runtime = nextProducerRuntime(runtime, state(95), 2100);
    expect(runtime.rate).toBe(45);
  });

  it('says 0 msg/s once stopped, and counts from where it stood when started again', () => {
    let runtime = nextProducerRuntime(undefined, state(100), 0);
    runtime = nextProducerRuntime(runtime, state(150, false), 1000);
    expect(runtime.rate).toBe(0);
    runtime = nextProducerRuntime(runtime, state(160), 60_000);
    expect(runtime.sampleSent).toBe(150);
    runtime = nextProducerRuntime(runtime, state(250), 61_000);
    expect(runtime.rate).toBe(100);
  });
});

describe('readProducerState', () => {
  it('reads a server reply and ignores what is not a producer state', () => {
    expect(
      readProducerState({
        producerId: 'p',
        status: 'idle',
        running: false,
        sent: 3,
        confirmed: 2,
        nacked: 1,
        returned: 0,
        outbox: { sending: 0, confirmed: 2, failed: 1 },
      }),
    ).toEqual({
      producerId: 'p',
      running: false,
      sent: 3,
      confirmed: 2,
      nacked: 1,
      returned: 0,
      outbox: { sending: 0, confirmed: 2, failed: 1 },
    });
    expect(readProducerState({ producerId: 'p' })).toBeUndefined();
    expect(readProducerState(null)).toBeUndefined();
  });

  it('finds the list in a reply body', () => {
    expect(listIn({ producers: [1, 2] }, 'producers')).toEqual([1, 2]);
    expect(listIn([3], 'producers')).toEqual([3]);
    expect(listIn({ other: 1 }, 'producers')).toEqual([]);
  });
});

describe('notBehind', () => {
  it('keeps counters an event already raised above a late reply', () => {
    const fromEvents: ProducerState = {
      ...state(224, false),
      outbox: { sending: 0, confirmed: 224, failed: 0 },
    };
    const lateReply: ProducerState = {
      ...state(224, false),
      confirmed: 220,
      outbox: { sending: 4, confirmed: 220, failed: 0 },
    };
    expect(notBehind(fromEvents, lateReply)).toEqual(fromEvents);
    expect(notBehind(undefined, lateReply)).toEqual(lateReply);
    expect(notBehind(state(3), state(5, false))).toEqual(state(5, false));
  });
});
