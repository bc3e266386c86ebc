/** The public API's per-minute quota (4 requests a minute per key), as a sliding window. */
const MINUTE_MS = 60_000;

export class MinuteQuota {
  private readonly recent = new Map<string, number[]>();

  constructor(
    /** Requests a minute; `false` disables enforcement. */
    public perMinute: number | false,
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends one request of `key`; `false` when the quota is exhausted. */
  take(key: string): boolean {
    if (this.perMinute === false) return true;
    const now = this.now();
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < MINUTE_MS);
    if (times.length >= this.perMinute) {
      this.recent.set(key, times);
      return false;
    }
    times.push(now);
    this.recent.set(key, times);
    return true;
  }

  reset(): void {
    this.recent.clear();
  }
}
