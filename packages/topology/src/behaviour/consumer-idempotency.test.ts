import { describe, expect, it } from 'vitest';
import { SeenMessageIds } from './consumer-idempotency';

describe('SeenMessageIds', () => {
  it('remembers ids and forgets the oldest past its capacity', () => {
    const seen = new SeenMessageIds(3);
    for (const id of ['a', 'b', 'c']) seen.remember(id);
    expect(seen.has('a')).toBe(true);
    // Seen again: now the newest.
    seen.remember('a');
    seen.remember('d');
    expect(seen.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((id) => seen.has(id))).toBe(true);
    expect(seen.size).toBe(3);
    seen.clear();
    expect(seen.size).toBe(0);
  });
});
