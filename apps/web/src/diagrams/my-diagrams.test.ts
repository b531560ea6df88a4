import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  editTokenFor,
  forgetDiagram,
  myDiagrams,
  rememberDiagram,
  rememberSessionDiagram,
  sessionDiagram,
  subscribeMyDiagrams,
} from './my-diagrams';

/** localStorage as the browser gives it, kept in a Map. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe("this browser's diagrams", () => {
  beforeEach(() => vi.stubGlobal('localStorage', memoryStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('keeps edit tokens, newest first, and keeps a token when only the name changes', () => {
    rememberDiagram({ id: 'a', name: 'A', editToken: 'ta' });
    rememberDiagram({ id: 'b', name: 'B', editToken: 'tb' });
    rememberDiagram({ id: 'a', name: 'A2' });
    expect(myDiagrams().map((d) => [d.id, d.name, d.editToken])).toEqual([
      ['a', 'A2', 'ta'],
      ['b', 'B', 'tb'],
    ]);
    expect(editTokenFor('b')).toBe('tb');
    forgetDiagram('b');
    expect(editTokenFor('b')).toBeNull();
  });

  it('does not list a diagram it has no token for', () => {
    rememberDiagram({ id: 'x', name: 'X' });
    expect(myDiagrams()).toEqual([]);
  });

  it('tells listeners when the list changes', () => {
    const seen = vi.fn();
    const stop = subscribeMyDiagrams(seen);
    rememberDiagram({ id: 'a', editToken: 't' });
    stop();
    forgetDiagram('a');
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('remembers which diagram and revision a session saves to', () => {
    rememberSessionDiagram('s1', { id: 'a', revision: 3, sessionFingerprint: 'f' });
    expect(sessionDiagram('s1')).toEqual({ id: 'a', revision: 3, sessionFingerprint: 'f' });
    rememberSessionDiagram('s1', null);
    expect(sessionDiagram('s1')).toBeNull();
  });

  it('survives storage that holds something else, or none at all', () => {
    localStorage.setItem('warren.diagrams', '{not json');
    expect(myDiagrams()).toEqual([]);
    vi.unstubAllGlobals();
    vi.stubGlobal('localStorage', undefined);
    expect(editTokenFor('a')).toBeNull();
    expect(() => rememberDiagram({ id: 'a', editToken: 't' })).not.toThrow();
  });
});
