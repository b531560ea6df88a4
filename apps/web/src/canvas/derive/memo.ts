/**
 * Caches for results derived from the store. Each `create…` call makes a cache of its own, so
 * two stores (the app's and a test's, or two tests') never hand each other their results.
 */

export function sameInputs(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A function whose result keeps its identity while the inputs `read` picks stay the same. */
export function memoOn<S, R>(
  read: (input: S) => readonly unknown[],
  compute: (input: S) => R,
): (input: S) => R {
  let last: readonly unknown[] | undefined;
  let result: R;
  return (input) => {
    const inputs = read(input);
    if (!sameInputs(last, inputs)) {
      last = inputs;
      result = compute(input);
    }
    return result;
  };
}

/**
 * Items derived one by one (a node per queue, an edge per binding), each reused while its own
 * inputs stay the same: React Flow compares by identity, so it only does work for what changed.
 * Call `begin` before a pass and `end` after it; items not asked for in between are forgotten.
 */
export function createItemCache<K, I extends readonly unknown[], V>() {
  const items = new Map<K, { inputs: I; value: V }>();
  let seen = new Set<K>();
  return {
    begin() {
      seen = new Set<K>();
    },
    get(key: K, inputs: I, make: () => V): V {
      seen.add(key);
      const cached = items.get(key);
      if (cached && sameInputs(cached.inputs, inputs)) return cached.value;
      const value = make();
      items.set(key, { inputs, value });
      return value;
    },
    end() {
      for (const key of items.keys()) if (!seen.has(key)) items.delete(key);
    },
  };
}
