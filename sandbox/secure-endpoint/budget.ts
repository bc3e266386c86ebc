/** The hourly request budget of an API client, reported in `X-RateLimit-*` headers. */
import { SimHttpError } from '../common/index.js';

const HOUR_MS = 3_600_000;

export class HourlyBudget {
  private windowStart = 0;
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends one request; throws a 429 carrying the headers when none is left. */
  take(): Record<string, string> {
    const now = this.now();
    if (now - this.windowStart >= HOUR_MS) {
      this.windowStart = now;
      this.used = 0;
    }
    const reset = Math.ceil((this.windowStart + HOUR_MS - now) / 1000);
    if (this.used >= this.limit) {
      throw new SimHttpError(429, 'API rate limit exceeded', undefined, headers(this.limit, 0, reset));
    }
    this.used += 1;
    return headers(this.limit, this.limit - this.used, reset);
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }
}

/** The three headers, in the names community clients read (SECONDARY in the contract). */
export function headers(limit: number, remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
    'X-RateLimit-Reset': String(resetSeconds),
  };
}
