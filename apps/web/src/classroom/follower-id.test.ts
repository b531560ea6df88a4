import { describe, expect, it } from 'vitest';
import { followerIdFor } from './follower-id';

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('follower ids', () => {
  it('are kept per classroom code', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const a = followerIdFor('ab12cd', storage);
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(followerIdFor('AB12CD', storage)).toBe(a);
    expect(followerIdFor('ZZ99ZZ', storage)).not.toBe(a);
  });

  it('still exist without storage', () => {
    expect(followerIdFor('AB12CD', null).length).toBeGreaterThanOrEqual(8);
  });
});
