/** Wire schemas of Secure Endpoint v1 (api-contracts.md §6). Strings and arrays are capped. */
import { z } from 'zod';

const GUID = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a connector guid');
const LINK = z.string().max(2048);
const IP = z.string().max(64);
const TEXT = z.string().max(1024);

/** The `{version, metadata, data}` envelope of a listing. */
export function envelopeSchema<T extends z.ZodType>(item: T) {
  return z.object({
    version: z.string().max(64).optional(),
    metadata: z
      .object({
        links: z.object({ self: LINK.optional(), next: LINK.optional() }).optional(),
        results: z.object({ total: z.int().min(0) }).optional(),
      })
      .optional(),
    data: z.array(item).max(500),
  });
}

const linksSchema = z
  .object({ computer: LINK.optional(), trajectory: LINK.optional(), group: LINK.optional() })
  .optional();

/** A computer of `GET /v1/computers` (full) or `GET /v1/computers/activity` (guid, hostname, active, links). */
export const computerSchema = z.object({
  connector_guid: GUID,
  hostname: z.string().max(255),
  active: z.boolean(),
  operating_system: z.string().max(256).nullish(),
  internal_ips: z.array(IP).max(256).nullish(),
  external_ip: IP.nullish(),
  isolation: z.object({ available: z.boolean(), status: z.string().max(64) }).nullish(),
  links: linksSchema,
});

const identitySchema = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/)
    .optional(),
  sha1: z
    .string()
    .regex(/^[0-9a-fA-F]{40}$/)
    .optional(),
  md5: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/)
    .optional(),
});

/** An event of `GET /v1/events`. */
export const eventSchema = z.object({
  id: z.union([z.number(), z.string().max(64)]),
  timestamp: z.int().min(0),
  event_type: z.string().max(256),
  event_type_id: z.int(),
  detection: TEXT.optional(),
  severity: z.string().max(64).optional(),
  connector_guid: GUID.optional(),
  computer: z
    .object({
      connector_guid: GUID,
      hostname: z.string().max(255),
      user: z.string().max(256).optional(),
      external_ip: IP.optional(),
      network_addresses: z
        .array(z.object({ ip: IP.optional(), mac: z.string().max(64).optional() }))
        .max(256)
        .optional(),
    })
    .optional(),
  file: z
    .object({
      disposition: z.string().max(64).optional(),
      file_name: TEXT.optional(),
      file_path: z.string().max(4096).optional(),
      identity: identitySchema.optional(),
      parent: z.object({ file_name: TEXT.optional(), identity: identitySchema.optional() }).optional(),
    })
    .optional(),
});

/** Error bodies: the envelope with `errors[]`. */
export const errorBodySchema = z.object({
  errors: z
    .array(
      z.object({
        error_code: z.union([z.number(), z.string()]).optional(),
        description: z.string().optional(),
        details: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

export type WireComputer = z.infer<typeof computerSchema>;
export type WireEvent = z.infer<typeof eventSchema>;
