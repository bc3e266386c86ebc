/**
 * A request budget per source and fixed window (XDR's share of the org's 8,000 requests an
 * hour; VirusTotal's 4 a minute), kept in state so restarts and replicas see the same count.
 */
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export class RequestBudget {
  /** Requests used per window (`<budget name>:<window number>`), expiring after two windows. */
  private readonly used: Repository<z.ZodNumber>;

  constructor(
    private readonly opts: { state: StateStore; name: string; limit: number; windowMs: number; now: () => number },
  ) {
    this.used = new Repository(opts.state, {
      prefix: 'budget',
      schema: z.number(),
      version: 1,
      ttlMs: opts.windowMs * 2,
    });
  }

  get limit(): number {
    return this.opts.limit;
  }

  /** Takes `cost` requests from the current window; false when that would exceed the limit. */
  async tryTake(cost: number): Promise<boolean> {
    if (cost === 0) return true;
    return this.used.withLock(this.opts.name, async () => {
      const window = this.window();
      const used = (await this.used.get(window)) ?? 0;
      if (used + cost > this.opts.limit) return false;
      await this.used.set(window, used + cost);
      return true;
    });
  }

  async remaining(): Promise<number> {
    return Math.max(0, this.opts.limit - ((await this.used.get(this.window())) ?? 0));
  }

  /** Milliseconds until the next window opens. */
  msUntilNextWindow(): number {
    const now = this.opts.now();
    return this.opts.windowMs - (now % this.opts.windowMs);
  }

  private window(): string {
    return `${this.opts.name}:${Math.floor(this.opts.now() / this.opts.windowMs)}`;
  }
}
