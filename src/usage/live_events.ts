/**
 * @module An in-process publish/subscribe bus for the dashboard's live monitor: `recordUsage` publishes each usage
 * row, every SSE client holds a bounded buffer (the oldest events are dropped for a slow client, never the
 * publisher blocked) and unsubscribes when it goes away.
 */

export interface Subscription<T> {
  /** The next event, waiting for one; `undefined` once closed. */
  next(): Promise<T | undefined>;
  /** Events dropped because this subscriber fell behind. */
  dropped(): number;
  close(): void;
}

export interface EventBus<T> {
  publish(event: T): void;
  subscribe(): Subscription<T>;
  /** Current subscribers (for tests and the health page). */
  size(): number;
}

export interface EventBusOptions {
  /** Events kept per subscriber before the oldest is dropped. @default 256 */
  bufferSize?: number;
  /** Subscribers allowed at once; a new one beyond this closes the oldest. @default 64 */
  maxSubscribers?: number;
}

export function createEventBus<T>(options: EventBusOptions = {}): EventBus<T> {
  const bufferSize = Math.max(1, options.bufferSize ?? 256);
  const maxSubscribers = Math.max(1, options.maxSubscribers ?? 64);
  interface Sub {
    queue: T[];
    waiter?: (value: T | undefined) => void;
    dropped: number;
    closed: boolean;
  }
  const subs = new Set<Sub>();

  function close(sub: Sub): void {
    if (sub.closed) return;
    sub.closed = true;
    subs.delete(sub);
    sub.queue = [];
    sub.waiter?.(undefined);
    sub.waiter = undefined;
  }

  return {
    publish(event) {
      for (const sub of subs) {
        if (sub.waiter) {
          const w = sub.waiter;
          sub.waiter = undefined;
          w(event);
          continue;
        }
        sub.queue.push(event);
        if (sub.queue.length > bufferSize) {
          sub.queue.shift();
          sub.dropped++;
        }
      }
    },
    subscribe() {
      if (subs.size >= maxSubscribers) close(subs.values().next().value!);
      const sub: Sub = { queue: [], dropped: 0, closed: false };
      subs.add(sub);
      return {
        next() {
          if (sub.queue.length > 0) return Promise.resolve(sub.queue.shift());
          if (sub.closed) return Promise.resolve(undefined);
          return new Promise((resolve) => (sub.waiter = resolve));
        },
        dropped: () => sub.dropped,
        close: () => close(sub),
      };
    },
    size: () => subs.size,
  };
}
