/** Injected faults (errors, rate limits) and the validated inputs of the shared control surface. */
import { z } from 'zod';
import { SimHttpError } from './http.js';

/** Which API calls a fault applies to; omit both to match any call. */
export const faultMatchSchema = z.object({
  method: z.string().min(1).max(16).optional(),
  pathPrefix: z.string().startsWith('/').max(512).optional(),
});

/** Matching rule of `failNext` and `rateLimitNext`. */
export type FaultMatch = z.input<typeof faultMatchSchema>;

/** `POST /_sim/fail` */
export const failSchema = faultMatchSchema.extend({ count: z.int().min(1), status: z.int().min(400).max(599) });

/** `POST /_sim/rate-limit` */
export const rateLimitSchema = faultMatchSchema.extend({
  count: z.int().min(1),
  retryAfter: z.int().min(0).optional(),
});

/** `POST /_sim/latency` */
export const latencySchema = z.object({ ms: z.int().min(0).max(600_000) });

/** A fault to answer instead of handling the call. */
export interface Fault {
  status: number;
  /** Seconds; each product decides which header carries it. */
  retryAfter?: number | undefined;
}

interface FaultRule extends Fault {
  remaining: number;
  method?: string | undefined;
  pathPrefix?: string | undefined;
}

/** The queue of faults still to inject, first added first used. */
export class FaultPlan {
  private rules: FaultRule[] = [];

  add(count: number, fault: Fault, match: FaultMatch = {}): void {
    const parsed = parseInput(faultMatchSchema, match);
    if (!Number.isInteger(count) || count < 1) throw new SimHttpError(400, 'count must be an integer >= 1');
    if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
      throw new SimHttpError(400, 'status must be 4xx or 5xx');
    }
    this.rules.push({
      ...fault,
      remaining: count,
      method: parsed.method?.toUpperCase(),
      pathPrefix: parsed.pathPrefix,
    });
  }

  /** Consumes the first rule matching the call, if any. */
  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (r) => (!r.method || r.method === method) && (!r.pathPrefix || path.startsWith(r.pathPrefix)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return { status: rule.status, retryAfter: rule.retryAfter };
  }

  /** How many faulty answers are still queued. */
  get pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }
}

/** Parses control input, answering 400 with the issues when it does not fit. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new SimHttpError(400, issues);
}
