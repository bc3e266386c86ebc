/**
 * Zod schemas of the SMC's flow search (`/sw-reporting/v2/tenants/{t}/flows/queries`).
 *
 * Sources: Cisco's sample `python/get_flows.py` and its Postman collection "Stealthwatch
 * Enterprise - REST (Reporting)" (request body; the start answers 201 with `data.query.id` and
 * `percentComplete`), and the XSOAR integration's captured answers `query_flow_status.json` and
 * `query_flow_results.json` (tests/fixtures/sna/, see SOURCES.md). Fields we do not use are
 * ignored; the ones we use are checked, with caps on strings.
 */
import { z } from 'zod';
import { smcTimestampSchema } from './schemas.js';

/** Query ids become a path segment, so anything that could leave it (`/`, `..`, `?`) is refused. */
const queryId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a query id');

/** `POST …/flows/queries` (201). Only `id` is relied on; the status fields may come later. */
export const flowQueryStartSchema = z.object({
  data: z.object({
    query: z.object({
      id: queryId,
      status: z.string().max(64).optional(),
      percentComplete: z.number().optional(),
    }),
  }),
});

/** `GET …/flows/queries/{id}` (captured: `{"data":{"query":{"domainId":"102","id":…,"percentComplete":100,"status":"COMPLETED"}}}`). */
export const flowQueryStatusSchema = z.object({
  data: z.object({ query: z.object({ status: z.string().max(64), percentComplete: z.number() }) }),
});

/** `subject` or `peer` of a flow record: one side, what it sent, where it is. */
export const flowEndSchema = z.object({
  ipAddress: z.union([z.ipv4(), z.ipv6()]),
  /** Bytes this side sent (subject.bytes + peer.bytes = statistics.byteCount in the capture). */
  bytes: z.number().min(0),
  packets: z.number().min(0).nullish(),
  countryCode: z.string().max(8).nullish(),
  hostGroupIds: z
    .array(z.int())
    .max(1000)
    .nullish()
    .transform((ids) => ids ?? []),
  /** `client` or `server`. */
  orientation: z.string().max(16).nullish(),
  portProtocol: z.object({ port: z.int().min(0).max(65_535), protocol: z.string().max(32).nullish() }).nullish(),
});

/** One record of `GET …/flows/queries/{id}/results`. */
export const flowRecordSchema = z.object({
  /** A number in the capture; read as text so a 64-bit id stays exact. */
  id: z.union([z.int(), z.string().max(64)]).transform(String),
  protocol: z.string().max(32).nullish(),
  subject: flowEndSchema,
  peer: flowEndSchema,
  statistics: z.object({
    byteCount: z.number().min(0).nullish(),
    firstActiveTime: smcTimestampSchema,
    lastActiveTime: smcTimestampSchema,
  }),
});

/** The results answer with its records left unvalidated, for checking them one at a time. */
export const flowResultsEnvelopeSchema = z.object({ data: z.object({ flows: z.array(z.unknown()) }) });

export type FlowRecord = z.infer<typeof flowRecordSchema>;
export type FlowEndRecord = z.infer<typeof flowEndSchema>;
