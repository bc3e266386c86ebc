/**
 * Zod schemas of the SMC's wire shapes (api-contracts.md §1).
 *
 * Objects ignore fields we do not use, since SMC versions add and drop them; the fields we use are
 * checked strictly, with length caps so a hostile or broken SMC cannot push huge strings into cards.
 */
import { z } from 'zod';
import { toUtcIso } from './time.js';

export const SHORT_TEXT = 256;
export const LONG_TEXT = 4096;

const name = z.string().max(SHORT_TEXT);
const optionalText = z
  .string()
  .max(LONG_TEXT)
  .nullish()
  .transform((value) => value ?? '');

/** An SMC timestamp (`…+0000`, `…+00:00` or `…Z`), converted to ISO-8601 UTC with a `Z`. */
export const smcTimestampSchema = z.string().transform((value, ctx) => {
  const iso = toUtcIso(value);
  if (iso === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an SMC timestamp' });
    return z.NEVER;
  }
  return iso;
});

/** `GET /sw-reporting/v1/tenants/` */
export const tenantListSchema = z.object({
  data: z.array(z.object({ id: z.int(), displayName: name })),
});

/** `GET /sw-reporting/v1/tenants/{t}/security-events/templates` */
export const eventTemplateListSchema = z.object({
  data: z.array(z.object({ id: z.int(), name: name.min(1), description: optionalText })),
});

/** Job ids become a path segment, so anything that could leave it (`/`, `..`, `?`) is refused. */
const searchJobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a search job id');

/** `POST …/security-events/queries` (answers 200, not 201/202). */
export const queryStartSchema = z.object({
  data: z.object({
    searchJob: z.object({
      id: searchJobId,
      searchJobStatus: z.string().max(64),
      percentComplete: z.number(),
    }),
  }),
});

/** `GET …/security-events/queries/{id}` */
export const queryStatusSchema = z.object({
  data: z.object({ status: z.string().max(64), percentComplete: z.number() }),
});

/** A `{name, id}` entry of `source.tags` / `target.tags`: a host group the endpoint belongs to. */
export const eventTagSchema = z.object({ id: z.int(), name });

/** An endpoint's address. */
export const ipAddressSchema = z.union([z.ipv4(), z.ipv6()]);

/** `source` / `target` of a security-event record. */
export const eventEndpointSchema = z.object({
  ipAddress: ipAddressSchema,
  port: z.int().min(0).max(65_535).nullish(),
  protocol: z.string().max(32).nullish(),
  tags: z
    .array(eventTagSchema)
    .nullish()
    .transform((tags) => tags ?? []),
});

/** One `details[]` entry. Values are documented as strings; numbers and null are tolerated. */
export const eventDetailSchema = z.object({
  key: z.string().min(1).max(SHORT_TEXT),
  value: z
    .union([z.string().max(LONG_TEXT), z.number(), z.null()])
    .transform((value) => (value === null ? '' : String(value))),
});

type EventDetail = z.infer<typeof eventDetailSchema>;

/**
 * `details[]` (absent or null: none). Each pair that plainly fits {@link eventDetailSchema} (a
 * string key of 1–256 characters; a string value of at most 4,096, a finite number or null) is
 * taken on a fast path; any other is judged by that schema itself, issues and all. A burst of
 * 10,000 records carries 60,000 pairs, and one zod object parse per pair was 40 % of the
 * garbage the whole validation made (bench/burst.ts measures the burst's peak memory).
 */
export const eventDetailsSchema = z.unknown().transform((raw, ctx): EventDetail[] => {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'expected an array of {key, value} pairs', input: raw });
    return z.NEVER;
  }
  const details: EventDetail[] = new Array(raw.length);
  let failed = false;
  raw.forEach((entry: unknown, n) => {
    const fast = plainDetail(entry);
    if (fast) {
      details[n] = fast;
      return;
    }
    const parsed = eventDetailSchema.safeParse(entry);
    if (parsed.success) {
      details[n] = parsed.data;
      return;
    }
    failed = true;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: [n, ...issue.path], input: entry });
    }
  });
  return failed ? z.NEVER : details;
});

/** A `details[]` pair that plainly fits {@link eventDetailSchema}, as it reads it; `undefined` otherwise. */
export function plainDetail(entry: unknown): EventDetail | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { key, value } = entry as { key?: unknown; value?: unknown };
  if (typeof key !== 'string' || key.length < 1 || key.length > SHORT_TEXT) return undefined;
  if (typeof value === 'string') return value.length <= LONG_TEXT ? { key, value } : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? { key, value: String(value) } : undefined;
  return value === null ? { key, value: '' } : undefined;
}

/** One record of `GET …/security-events/results/{id}`. */
export const securityEventRecordSchema = z.object({
  id: z.int(),
  domainId: z.int().nullish(),
  deviceId: z.int().nullish(),
  securityEventType: z.int(),
  firstActiveTime: smcTimestampSchema,
  lastActiveTime: smcTimestampSchema,
  source: eventEndpointSchema,
  target: eventEndpointSchema.nullish(),
  details: eventDetailsSchema,
  hitCount: z.int().min(0),
});

/** `GET …/security-events/results/{id}` */
export const queryResultsSchema = z.object({
  data: z.object({ results: z.array(securityEventRecordSchema) }),
});

/** The same answer with its records left unvalidated, for checking them one at a time. */
export const queryResultsEnvelopeSchema = z.object({
  data: z.object({ results: z.array(z.unknown()) }),
});

/** A host group as listed by `GET /smc-configuration/rest/v1/tenants/{t}/tags`. */
export const hostGroupListSchema = z.object({
  data: z.array(
    z.object({
      id: z.int(),
      name,
      parentId: z.int().nullish(),
      location: z.string().max(64).nullish(),
    }),
  ),
});

/**
 * A full tag object. Unknown fields are kept, not stripped: updates are read-modify-write of the
 * whole object, and dropping a field we do not know would erase it on the SMC. A group holding no
 * range comes without a `ranges` key at all (SMC 7.2.1): read as `[]`.
 */
export const hostGroupSchema = z.looseObject({
  id: z.int(),
  name,
  location: z.string().max(64).optional(),
  description: z.string().max(LONG_TEXT).nullish(),
  parentId: z.int().nullish(),
  domainId: z.int().optional(),
  ranges: z.array(z.string().max(SHORT_TEXT)).default([]),
});

/** `GET /smc-configuration/rest/v1/tenants/{t}/tags/{id}` */
export const hostGroupResponseSchema = z.object({ data: hostGroupSchema });

/** `POST /smc-configuration/rest/v1/tenants/{t}/tags` answers the created tags (with their new ids). */
export const hostGroupCreateResponseSchema = z.object({ data: z.array(hostGroupSchema).min(1) });

export type SecurityEventRecord = z.infer<typeof securityEventRecordSchema>;
export type EventEndpointRecord = z.infer<typeof eventEndpointSchema>;
/** A full host group ("tag") object as the SMC holds it, unknown fields included. */
export type SnaHostGroup = z.infer<typeof hostGroupSchema>;
