import { describe, expect, it } from 'vitest';
import { withOutsideChange, withServerCopy } from './outside-state';

describe('withServerCopy', () => {
  it('drops reports of creation, which the server copy of the diagram now speaks for', () => {
    let objects = withOutsideChange(
      {},
      { kind: 'queue', name: 'audit', change: 'created', source: 'event-exchange' },
    );
    objects = withOutsideChange(objects, {
      kind: 'exchange',
      name: 'billing',
      change: 'deleted',
      source: 'polling',
    });
    expect(Object.keys(withServerCopy(objects))).toEqual(['exchange:billing']);
  });

  it('keeps the same object when there is nothing to drop', () => {
    const objects = withOutsideChange(
      {},
      { kind: 'queue', name: 'audit', change: 'deleted', source: 'fault' },
    );
    expect(withServerCopy(objects)).toBe(objects);
    const none = {};
    expect(withServerCopy(none)).toBe(none);
  });
});
