/**
 * Calls `run` with the newest value at most once per `ms`: the first change at once, the rest
 * gathered into one trailing call, so the last value is always sent.
 */
export interface Throttled<T> {
  push: (value: T) => void;
  /** Sends what is waiting now. */
  flush: () => void;
  cancel: () => void;
}

export function throttle<T>(run: (value: T) => void, ms: number): Throttled<T> {
  let last = -Infinity;
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = Date.now();
    run(value);
  };
  return {
    push: (value) => {
      pending = { value };
      if (timer !== undefined) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    flush: () => {
      clearTimeout(timer);
      fire();
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
      pending = null;
    },
  };
}
