// In-memory sliding-window limiter (the stand-in runs as a single process).

export class SlidingWindowLimiter {
  #hits = new Map<string, number[]>();
  constructor(private max: number, private windowMs: number) {}

  /** Records an attempt; returns false when the key is over its limit. */
  take(key: string): boolean {
    const now = Date.now();
    // Bound memory: drop keys whose newest hit left the window.
    if (this.#hits.size > 10_000) {
      for (const [k, v] of this.#hits) {
        if (!v.length || v[v.length - 1] <= now - this.windowMs) this.#hits.delete(k);
      }
    }
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(key, recent);
    return true;
  }
}
