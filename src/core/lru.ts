/** @module A bounded LRU map with a time-to-live per entry (response cache, idempotency): no I/O, clock passed in. */

export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): void;
  delete(key: string): boolean;
  readonly size: number;
  clear(): void;
}

/** `maxEntries` 0 disables storage (every get misses). Map iteration order gives recency in O(1). */
export function createLru<V>(options: { maxEntries: number; ttlMs: number; now: () => number }): Lru<V> {
  const map = new Map<string, { value: V; expires: number }>();
  return {
    get(key) {
      const e = map.get(key);
      if (!e) return undefined;
      if (e.expires <= options.now()) {
        map.delete(key);
        return undefined;
      }
      map.delete(key);
      map.set(key, e);
      return e.value;
    },
    set(key, value, ttlMs) {
      if (options.maxEntries <= 0) return;
      map.delete(key);
      map.set(key, { value, expires: options.now() + (ttlMs ?? options.ttlMs) });
      while (map.size > options.maxEntries) map.delete(map.keys().next().value!);
    },
    delete: (key) => map.delete(key),
    get size() {
      return map.size;
    },
    clear: () => map.clear(),
  };
}
