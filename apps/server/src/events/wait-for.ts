import type { WarrenEvent } from '@warren/protocol';
import type { EventStream } from './event-stream';

/**
 * The first event of `events` that `match` accepts, or undefined after `timeoutMs`. Listening
 * starts at once, so an event emitted while the caller is still busy (a publish being
 * confirmed) is not missed; `cancel` stops waiting early.
 */
export function waitFor<E extends WarrenEvent>(
  events: EventStream,
  match: (event: WarrenEvent) => event is E,
  timeoutMs: number,
): { promise: Promise<E | undefined>; cancel: () => void } {
  let stop = () => {};
  const promise = new Promise<E | undefined>((resolve) => {
    const timer = setTimeout(() => {
      unlisten();
      resolve(undefined);
    }, timeoutMs);
    const unlisten = events.listen((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      unlisten();
      resolve(event);
    });
    stop = () => {
      clearTimeout(timer);
      unlisten();
      resolve(undefined);
    };
  });
  return { promise, cancel: () => stop() };
}
