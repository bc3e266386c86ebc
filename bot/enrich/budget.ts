/**
 * A request budget per source and fixed window (XDR's share of the org's 8,000 requests an
 * hour; VirusTotal's 4 a minute), kept in state so restarts and replicas see the same count.
 */
import type { StateStore } from '../state/store.js';

export class RequestBudget {
  constructor(
    private readonly opts: { state: StateStore; name: string; limit: number; windowMs: number; now: () => number },
  ) {}

  get limit(): number {
    return this.opts.limit;
  }

  /** Takes `cost` requests from the current window; false when that would exceed the limit. */
  async tryTake(cost: number): Promise<boolean> {
    if (cost === 0) return true;
    return this.opts.state.withLock(`budget:${this.opts.name}`, async () => {
      const key = this.key();
      const used = (await this.opts.state.get<number>(key)) ?? 0;
      if (used + cost > this.opts.limit) return false;
      await this.opts.state.set(key, used + cost, this.opts.windowMs * 2);
      return true;
    });
  }

  async remaining(): Promise<number> {
    return Math.max(0, this.opts.limit - ((await this.opts.state.get<number>(this.key())) ?? 0));
  }

  /** Milliseconds until the next window opens. */
  msUntilNextWindow(): number {
    const now = this.opts.now();
    return this.opts.windowMs - (now % this.opts.windowMs);
  }

  private key(): string {
    return `budget:${this.opts.name}:${Math.floor(this.opts.now() / this.opts.windowMs)}`;
  }
}
