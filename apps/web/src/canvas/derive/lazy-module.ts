/**
 * A part of the app fetched the first time it is needed rather than with the first load:
 * `loaded()` is undefined until then, `load()` fetches it once, and listeners hear when it
 * arrives (derivations made before it need redoing).
 */
export interface LazyModule<T> {
  loaded: () => T | undefined;
  load: () => Promise<T>;
  onLoaded: (listener: () => void) => () => void;
}

export function lazyModule<T>(fetch: () => Promise<T>): LazyModule<T> {
  let value: T | undefined;
  let pending: Promise<T> | undefined;
  const listeners = new Set<() => void>();
  return {
    loaded: () => value,
    load: () => {
      pending ??= fetch().then((fetched) => {
        value = fetched;
        for (const listener of listeners) listener();
        return fetched;
      });
      return pending;
    },
    onLoaded: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
