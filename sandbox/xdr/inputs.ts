/** Validated inputs of the simulator's control surface, shared by the in-process and HTTP forms. */
import { z } from 'zod';
import { validate } from './ctia/validation.js';
import { MODULES } from './iroh/modules.js';

const match = z
  .strictObject({
    method: z.string().min(1).max(16).optional(),
    pathPrefix: z.string().startsWith('/').max(512).optional(),
  })
  .optional();

/** `rateLimitNext` / `POST /_sim/faults/rate-limit`. */
export const rateLimitInputSchema = z.strictObject({
  count: z.int().min(1),
  /** Sent verbatim as `Retry-After`: seconds, `"3172s"`, or an HTTP date. */
  retryAfter: z.union([z.int().min(0), z.string().min(1).max(64)]),
  match,
});

/** `failNext` / `POST /_sim/faults/fail`. */
export const failInputSchema = z.strictObject({
  count: z.int().min(1),
  status: z.int().min(400).max(599),
  match,
});

/** `setLatency` / `POST /_sim/latency`. */
export const latencyInputSchema = z.strictObject({ ms: z.int().min(0).max(120_000), match });

const moduleName = z.enum(MODULES.map((m) => m.name) as [string, ...string[]]);

/** `setVerdict` / `POST /_sim/verdicts`. */
export const verdictInputSchema = z.strictObject({
  observable: z.strictObject({ type: z.string().min(1).max(64), value: z.string().min(1).max(4096) }),
  disposition: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  module: moduleName.optional(),
  reason: z.string().max(1024).optional(),
});

export type VerdictInput = z.input<typeof verdictInputSchema>;

/** `failModule` / `POST /_sim/modules/fail`. */
export const failModuleInputSchema = z.strictObject({ module: moduleName, message: z.string().min(1).max(1024) });

/** `restoreModule` / `POST /_sim/modules/restore`. */
export const restoreModuleInputSchema = z.strictObject({ module: moduleName });

/** `setTokenTtl` / `PUT /_sim/tokens/ttl`. */
export const tokenTtlInputSchema = z.strictObject({ seconds: z.int().min(1).max(86_400) });

/** Parses control input, answering 400 with the issues when it does not fit. */
export const parseInput = validate;
