import { describe, expect, it } from 'vitest';
import { formatKeyValues, parseKeyValues } from './key-values';

describe('key values', () => {
  it('reads name: value and name=value lines, skipping blank and unfinished ones', () => {
    expect(parseKeyValues('format: pdf\n type = report \n\njunk\n')).toEqual({
      format: 'pdf',
      type: 'report',
    });
  });

  it('round-trips what it writes', () => {
    const values = { format: 'pdf', 'x-match': 'any' };
    expect(parseKeyValues(formatKeyValues(values))).toEqual(values);
    expect(formatKeyValues(values, ['x-match'])).toBe('format: pdf');
  });
});
