/**
 * Fault injection: the next N matching API calls answer 429 (with
 * `Retry-After`) or an error status, before any state changes.
 */
import type { NextFunction, Request, Response } from 'express';
import { WebexApiError } from '../model/errors.js';
import { markFault } from './call-log.js';

/**
 * Which calls a fault applies to. `pathPrefix` is matched against the path
 * under `/v1` (`/messages`); a prefix starting with `/v1` is matched against the
 * full path (`/v1/messages`). Both fields are optional: omit them to match any call.
 */
export interface FaultMatch {
  method?: string | undefined;
  pathPrefix?: string | undefined;
}

interface FaultRule {
  kind: 'rateLimit' | 'fail';
  remaining: number;
  status: number;
  retryAfterSeconds?: number;
  match: FaultMatch;
}

function matches(rule: FaultRule, method: string, fullPath: string): boolean {
  if (rule.match.method && rule.match.method.toUpperCase() !== method.toUpperCase()) return false;
  const prefix = rule.match.pathPrefix;
  if (!prefix) return true;
  const path = prefix.startsWith('/v1') ? fullPath : fullPath.replace(/^\/v1/, '');
  return path.startsWith(prefix);
}

/** The queue of faults still to inject, first added first used. */
export class FaultPlan {
  private rules: FaultRule[] = [];

  /** The next `count` matching calls answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number, match: FaultMatch = {}): void {
    this.rules.push({ kind: 'rateLimit', remaining: count, status: 429, retryAfterSeconds, match });
  }

  /** The next `count` matching calls answer `status` (e.g. 500, 503) with a Webex error body. */
  failNext(count: number, status: number, match: FaultMatch = {}): void {
    this.rules.push({ kind: 'fail', remaining: count, status, match });
  }

  /** Drops every fault not yet used. */
  clear(): void {
    this.rules = [];
  }

  /** How many faulty answers are still queued. */
  get pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** Consumes the first rule matching the call, if any. */
  take(method: string, fullPath: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r, method, fullPath));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule;
  }

  /** Middleware: answers with the next matching fault instead of the real route. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const rule = this.take(req.method, req.originalUrl.split('?')[0] ?? '');
      if (!rule) {
        next();
        return;
      }
      markFault(res, rule.kind);
      if (rule.kind === 'rateLimit') {
        throw new WebexApiError(429, 'Too Many Requests. Retry after the period in the Retry-After header.', {
          'retry-after': String(rule.retryAfterSeconds ?? 60),
        });
      }
      throw new WebexApiError(rule.status, rule.status >= 500 ? 'Service unavailable.' : 'Request failed.');
    };
  }
}
