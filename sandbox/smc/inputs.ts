/** Validated inputs of the simulator's control surface, shared by the in-process and HTTP forms. */
import { z } from 'zod';
import { SimHttpError } from './http.js';

const ip = z.union([z.ipv4(), z.ipv6()]);
const port = z.int().min(0).max(65_535);
/** A `Date`, or an ISO-8601 string with `Z` or an offset (the HTTP form). */
const date = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));
const tagRef = z.union([z.int(), z.object({ id: z.int(), name: z.string().min(1).max(256) })]);

/** `addEvent` / `POST /_sim/events`. Dates may be `Date`s or ISO strings. */
export const simEventInputSchema = z.object({
  typeId: z.int(),
  sourceIp: ip,
  sourcePort: port.optional(),
  targetIp: ip.optional(),
  targetPort: port.optional(),
  protocol: z.string().min(1).max(16).optional(),
  points: z.int().min(0).optional(),
  hitCount: z.int().min(1).optional(),
  firstActive: date.optional(),
  lastActive: date.optional(),
  /** Host-group ids of the simulator's tree, or explicit `{id, name}`; default: by address ranges. */
  sourceTags: z.array(tagRef).optional(),
  targetTags: z.array(tagRef).optional(),
  /** Default: the first tenant. */
  tenantId: z.int().optional(),
});

/** Input of `addEvent`. */
export type SimEventInput = z.input<typeof simEventInputSchema>;

/** `updateEvent` / `PATCH /_sim/events/:id`: what an ongoing event changes. */
export const simEventUpdateSchema = z.object({
  hitCount: z.int().min(1).optional(),
  lastActive: date.optional(),
  /** The points the event is worth now (an ongoing event's concern can grow). */
  points: z.int().min(0).optional(),
});

/** Input of `updateEvent`. */
export type SimEventUpdate = z.input<typeof simEventUpdateSchema>;

/** Which calls `failNext` applies to, and the `Retry-After` it sends. */
export const failMatchSchema = z.object({
  method: z.string().min(1).max(16).optional(),
  pathPrefix: z.string().startsWith('/').max(512).optional(),
  /** Sent as the `Retry-After` header: seconds, or an HTTP date. */
  retryAfter: z.union([z.int().min(0), z.string().min(1).max(64)]).optional(),
});

/** Matching rule of `failNext`. */
export type FailMatch = z.input<typeof failMatchSchema>;

/** `POST /_sim/latency`: matching API calls are answered `ms` later (0 removes the rule). */
export const latencyRequestSchema = z.object({
  ms: z.int().min(0).max(600_000),
  method: z.string().min(1).max(16).optional(),
  pathPrefix: z.string().startsWith('/').max(512).optional(),
  /** A regular expression the path must match, for paths with ids in them. */
  pathPattern: z.string().min(1).max(512).optional(),
});

export type LatencyMatch = Omit<z.input<typeof latencyRequestSchema>, 'ms'>;

/** `POST /_sim/fail`. */
export const failRequestSchema = failMatchSchema.extend({
  count: z.int().min(1),
  status: z.int().min(400).max(599),
});

/** `POST /_sim/malformed-records`: any JSON record, appended to the next `count` results. */
export const malformedRecordRequestSchema = z.object({ record: z.unknown(), count: z.int().min(1).default(1) });

/** `POST /_sim/fail-queries`. */
export const failQueriesRequestSchema = z.object({ count: z.int().min(1) });

/** Parses control input, answering 400 with the issues when it does not fit. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new SimHttpError(400, 'INVALID_SIM_INPUT', issues);
}
