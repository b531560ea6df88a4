import { describe, expect, it } from 'vitest';
import { RateMeter, SeriesHistory, sparklinePoints } from './rate-history';

describe('SeriesHistory', () => {
  it('keeps the last samples of each series and forgets series no longer sampled', () => {
    const history = new SeriesHistory(3);
    for (const v of [1, 2, 3, 4]) history.push(new Map([['q', v]]));
    expect(history.get('q')).toEqual([2, 3, 4]);
    history.push(new Map([['other', 1]]));
    expect(history.get('q')).toEqual([]);
  });
});

describe('RateMeter', () => {
  it('turns running totals into rates per second, starting at 0', () => {
    const meter = new RateMeter();
    expect(meter.rates(new Map([['x', 100]]), 1).get('x')).toBe(0);
    expect(meter.rates(new Map([['x', 160]]), 1).get('x')).toBe(60);
    expect(meter.rates(new Map([['x', 200]]), 2).get('x')).toBe(20);
    expect(meter.rates(new Map([['x', 5]]), 1).get('x')).toBe(0);
  });
});

describe('sparklinePoints', () => {
  it('draws the newest sample at the right edge, scaled to the highest', () => {
    expect(sparklinePoints([0, 10], 59, 12)).toBe('58.0,11.0 59.0,1.0');
    expect(sparklinePoints([], 59, 12)).toBe('');
  });
});
