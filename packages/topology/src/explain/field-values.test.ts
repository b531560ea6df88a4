import { describe, expect, it } from 'vitest';
import { brokerEquals, formatValue } from './field-values';

describe('headers exchange: values compared as the broker does', () => {
  it('compares numbers by value and never equal to text or booleans', () => {
    expect(brokerEquals(1, 1)).toBe(true);
    expect(brokerEquals(1.5, 1.5)).toBe(true);
    expect(brokerEquals(1, '1')).toBe(false);
    expect(brokerEquals(1, true)).toBe(false);
    expect(brokerEquals(0, false)).toBe(false);
    // Erlang's == ignores the integer/float distinction at the top level.
    expect(brokerEquals({ '!': 'double', value: 1 }, 1)).toBe(true);
    expect(brokerEquals(300, 300)).toBe(true);
    expect(brokerEquals(2 ** 40, 2 ** 40)).toBe(true);
  });

  it('compares text byte for byte and booleans as booleans', () => {
    expect(brokerEquals('a', 'a')).toBe(true);
    expect(brokerEquals('a', 'A')).toBe(false);
    expect(brokerEquals(true, true)).toBe(true);
    expect(brokerEquals(true, 'true')).toBe(false);
  });

  it('compares lists element by element with their types', () => {
    expect(brokerEquals(['a', 1], ['a', 1])).toBe(true);
    expect(brokerEquals(['a', 1], ['a', 2])).toBe(false);
    expect(brokerEquals([1], [{ '!': 'double', value: 1 }])).toBe(false);
  });
});

describe('values as a learner reads them', () => {
  it('quotes text and shows numbers, booleans and void bare', () => {
    expect(formatValue('pdf')).toBe("'pdf'");
    expect(formatValue(1.5)).toBe('1.5');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('no value');
    expect(formatValue(['a', 1])).toBe('["a",1]');
  });
});
