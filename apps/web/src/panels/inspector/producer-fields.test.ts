import { describe, expect, it } from 'vitest';
import { readExpiration, readInteger, readRate, readWhole } from './producer-fields';

describe('what the producer fields read typed text as', () => {
  it('clears a setting on empty text and keeps text that is no number as a draft', () => {
    expect(readInteger(' ')).toEqual({ value: undefined });
    expect(readInteger('12')).toEqual({ value: 12 });
    expect(readInteger('1e3')).toHaveProperty('problem');
    expect(readInteger('1234567890')).toHaveProperty('problem');
  });

  it('keeps an expiration as the text AMQP carries, and a rate as a decimal', () => {
    expect(readExpiration(' 5000 ')).toEqual({ value: '5000' });
    expect(readExpiration('5s')).toHaveProperty('problem');
    expect(readRate('2.5')).toEqual({ value: 2.5 });
    expect(readRate('-1')).toHaveProperty('problem');
  });

  it('reads a count of messages inside its range only', () => {
    const count = readWhole(1, 1000);
    expect(count('')).toEqual({ value: undefined });
    expect(count('10')).toEqual({ value: 10 });
    expect(count('0')).toEqual({ problem: 'From 1 to 1000.' });
    expect(count('1001')).toHaveProperty('problem');
    expect(count('+5')).toHaveProperty('problem');
  });
});
