import { describe, expect, it } from 'vitest';
import { traceChannelKey } from '../../src/observation/firehose';

describe('traceChannelKey', () => {
  it('names a channel by the client port of its connection and its number', () => {
    expect(traceChannelKey('127.0.0.1:50312 -> 127.0.0.1:5672', 3)).toBe('50312/3');
    expect(traceChannelKey('::1:41000 -> ::1:5672', 1)).toBe('41000/1');
  });

  it('gives nothing for a connection name it cannot read or a missing channel', () => {
    expect(traceChannelKey('', 1)).toBeUndefined();
    expect(traceChannelKey('127.0.0.1:50312 -> 127.0.0.1:5672', -1)).toBeUndefined();
  });
});
