// In-memory sliding-window limiter (the stand-in runs as a single process).

export class SlidingWindowLimiter {
  #hits = new Map<string, number[]>();
  constructor(private max: number, private windowMs: number) {}

  /** Records an attempt; returns false when the key is over its limit. */
  take(key: string): boolean {
    if (this.blocked(key)) return false;
    this.record(key);
    return true;
  }

  /** True while the key has used up its attempts in the window. */
  blocked(key: string): boolean {
    return this.#recent(key).length >= this.max;
  }

  /** Counts an attempt without asking (e.g. only failures count). */
  record(key: string) {
    const recent = this.#recent(key);
    recent.push(Date.now());
    this.#hits.set(key, recent);
  }

  /** Seconds until the key's oldest attempt leaves the window. */
  retryAfterSeconds(key: string): number {
    const recent = this.#recent(key);
    if (!recent.length) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.windowMs - Date.now()) / 1000));
  }

  #recent(key: string): number[] {
    const now = Date.now();
    // Bound memory: drop keys whose newest hit left the window.
    if (this.#hits.size > 10_000) {
      for (const [k, v] of this.#hits) {
        if (!v.length || v[v.length - 1] <= now - this.windowMs) this.#hits.delete(k);
      }
    }
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.#hits.set(key, recent);
    return recent;
  }
}
