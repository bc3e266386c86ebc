/**
 * Zod schemas of what IROH and CTIA send back (api-contracts.md §2–4).
 *
 * CTIA entities are loose objects: the fields we rely on are checked, the rest is kept as sent, since
 * CTIM adds fields between schema versions. Enrichment envelopes are checked per module; `errors[]`
 * (partial failures inside a 200) is kept, never thrown.
 */
import { z } from 'zod';

/** `POST /iroh/oauth2/token` */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
});

const observableSchema = z.object({ type: z.string().min(1).max(64), value: z.string() });
const validTimeSchema = z.looseObject({ start_time: z.string().optional(), end_time: z.string().optional() });
const disposition = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const ctiaId = z.string().min(1);

/** Fields CTIA fills on every stored entity. */
const storedBase = {
  id: ctiaId,
  schema_version: z.string(),
  tlp: z.string().optional(),
  external_ids: z.array(z.string()).optional(),
  source: z.string().optional(),
  owner: z.string().optional(),
  groups: z.array(z.string()).optional(),
  timestamp: z.string().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
};

/** A stored judgement. */
export const storedJudgementSchema = z.looseObject({
  ...storedBase,
  type: z.literal('judgement'),
  observable: observableSchema,
  disposition,
  disposition_name: z.string(),
  source: z.string(),
  priority: z.number(),
  confidence: z.string(),
  severity: z.string(),
  valid_time: validTimeSchema,
  reason: z.string().optional(),
});

/** A stored indicator. */
export const storedIndicatorSchema = z.looseObject({
  ...storedBase,
  type: z.literal('indicator'),
  producer: z.string(),
  title: z.string().optional(),
  indicator_type: z.array(z.string()).optional(),
  valid_time: validTimeSchema.optional(),
});

/** A stored feed; `secret` and `feed_view_url` come with it. */
export const storedFeedSchema = z.looseObject({
  ...storedBase,
  type: z.literal('feed'),
  feed_type: z.string(),
  output: z.enum(['observables', 'judgements']),
  title: z.string().optional(),
  indicator_id: z.string().optional(),
  secret: z.string().optional(),
  feed_view_url: z.string().optional(),
  lifetime: validTimeSchema.optional(),
});

/** The answer to a feed creation: the secret and view URL are required there. */
export const createdFeedSchema = storedFeedSchema.extend({ secret: z.string().min(1), feed_view_url: z.url() });

/** A stored relationship. */
export const storedRelationshipSchema = z.looseObject({
  ...storedBase,
  type: z.literal('relationship'),
  relationship_type: z.string(),
  source_ref: z.string(),
  target_ref: z.string(),
});

/** A stored sighting. */
export const storedSightingSchema = z.looseObject({
  ...storedBase,
  type: z.literal('sighting'),
  confidence: z.string(),
  count: z.number(),
  observed_time: validTimeSchema,
  observables: z.array(observableSchema).optional(),
  title: z.string().optional(),
});

/** A stored incident. */
export const storedIncidentSchema = z.looseObject({
  ...storedBase,
  type: z.literal('incident'),
  confidence: z.string(),
  status: z.string(),
  incident_time: z.looseObject({ opened: z.string() }),
  title: z.string().optional(),
  severity: z.string().optional(),
});

export type StoredJudgement = z.infer<typeof storedJudgementSchema>;
export type StoredIndicator = z.infer<typeof storedIndicatorSchema>;
export type StoredFeed = z.infer<typeof storedFeedSchema>;
export type CreatedFeed = z.infer<typeof createdFeedSchema>;
export type StoredRelationship = z.infer<typeof storedRelationshipSchema>;
export type StoredSighting = z.infer<typeof storedSightingSchema>;
export type StoredIncident = z.infer<typeof storedIncidentSchema>;

/** The schema of each CTIA entity, by name. */
export const STORED_SCHEMAS = {
  judgement: storedJudgementSchema,
  indicator: storedIndicatorSchema,
  feed: storedFeedSchema,
  relationship: storedRelationshipSchema,
  sighting: storedSightingSchema,
  incident: storedIncidentSchema,
} as const;

/** A stored entity of each CTIA entity name. */
export interface StoredEntities {
  judgement: StoredJudgement;
  indicator: StoredIndicator;
  feed: StoredFeed;
  relationship: StoredRelationship;
  sighting: StoredSighting;
  incident: StoredIncident;
}

/** `POST /ctia/bundle/import` */
export const bundleImportResponseSchema = z.object({
  results: z.array(
    z.looseObject({
      id: z.string().optional(),
      original_id: z.string().optional(),
      result: z.enum(['created', 'exists', 'error']),
      type: z.string(),
      external_ids: z.array(z.string()).optional(),
      /** CTIA sends any value here (`s/Any`): a string, or an object such as `{type, message}`; read as text. */
      error: z.unknown().optional().transform(describeImportError),
      msg: z.string().optional(),
    }),
  ),
});

export type BundleImportResult = z.infer<typeof bundleImportResponseSchema>['results'][number];

const IMPORT_ERROR_MAX = 300;

const NAMED_ERROR_FIELDS = ['type', 'error', 'message', 'msg', 'reason'];

/**
 * A bundle import result's `error` as one line of text: a string as it is; an object by its
 * `type`, `error`, `message`… fields, then whatever else it holds as compact JSON (compojure's
 * `errors` map names the bad fields); never "[object Object]".
 */
export function describeImportError(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  let text: string;
  if (typeof error === 'object') {
    const entries = Object.entries(error);
    const named = entries.filter(([key, value]) => NAMED_ERROR_FIELDS.includes(key) && typeof value === 'string');
    const rest = entries.filter((entry) => !named.includes(entry));
    text = [
      ...new Set(named.map(([, value]) => String(value))),
      ...(rest.length > 0 ? [JSON.stringify(Object.fromEntries(rest))] : []),
    ].join(': ');
  } else text = String(error);
  return text.length > IMPORT_ERROR_MAX ? `${text.slice(0, IMPORT_ERROR_MAX)}…` : text;
}

/** `POST /iroh/iroh-inspect/inspect` */
export const inspectResponseSchema = z.array(observableSchema);

/** The module fields of an enrichment answer; older SecureX modules sent `module-type` instead of `module_type_id`. */
const moduleFields = {
  module: z.string(),
  module_instance_id: z.string().optional(),
  module_type_id: z.string().optional(),
  'module-type': z.string().optional(),
};

/**
 * Folds the legacy `module-type` into `module_type_id` and drops it. The type keeps the optional
 * `module-type` key (always absent after this): `Omit` would erase the known keys of a loose object.
 */
function withModuleTypeId<T extends { module_type_id?: string | undefined; 'module-type'?: string | undefined }>(
  value: T,
): T {
  const { 'module-type': legacy, ...rest } = value;
  const moduleTypeId = value.module_type_id ?? legacy;
  return (moduleTypeId === undefined ? rest : { ...rest, module_type_id: moduleTypeId }) as T;
}

/** One partial failure reported inside a 200. Every field is optional: modules vary. */
export const moduleErrorSchema = z
  .looseObject({
    module: z.string().optional(),
    module_instance_id: z.string().optional(),
    module_type_id: z.string().optional(),
    'module-type': z.string().optional(),
    module_instance_state: z.string().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    type: z.string().optional(),
  })
  .transform(withModuleTypeId);

export type ModuleError = z.infer<typeof moduleErrorSchema>;

const docs = <T extends z.ZodType>(doc: T) => z.looseObject({ count: z.number().optional(), docs: z.array(doc) });

/** A verdict: one module's disposition of one observable. */
export const verdictSchema = z.looseObject({
  type: z.literal('verdict').optional(),
  disposition,
  disposition_name: z.string().optional(),
  observable: observableSchema,
  valid_time: validTimeSchema.optional(),
  judgement_id: z.string().optional(),
});

/** A judgement inside an enrichment answer; ids are often `transient:`. */
export const enrichJudgementSchema = z.looseObject({
  id: z.string().optional(),
  type: z.literal('judgement').optional(),
  observable: observableSchema,
  disposition,
  disposition_name: z.string().optional(),
  source: z.string().optional(),
  reason: z.string().optional(),
  priority: z.number().optional(),
  severity: z.string().optional(),
  confidence: z.string().optional(),
  valid_time: validTimeSchema.optional(),
});

/** A sighting inside an enrichment answer; targets are where it was seen. */
export const enrichSightingSchema = z.looseObject({
  id: z.string().optional(),
  type: z.literal('sighting').optional(),
  observables: z.array(observableSchema).optional(),
  count: z.number().optional(),
  observed_time: validTimeSchema.optional(),
  targets: z.array(z.looseObject({ type: z.string(), observables: z.array(observableSchema).optional() })).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
});

export type Verdict = z.infer<typeof verdictSchema>;
export type EnrichJudgement = z.infer<typeof enrichJudgementSchema>;
export type EnrichSighting = z.infer<typeof enrichSightingSchema>;

/** What one module said: the typed CTIM lists, plus any others it sent (indicators, incidents…) as is. */
const moduleDataSchema = z.looseObject({
  verdicts: docs(verdictSchema).optional(),
  judgements: docs(enrichJudgementSchema).optional(),
  sightings: docs(enrichSightingSchema).optional(),
});

export type ModuleData = z.infer<typeof moduleDataSchema>;

const moduleResultSchema = z.looseObject({ ...moduleFields, data: moduleDataSchema }).transform(withModuleTypeId);

export type ModuleResult = z.infer<typeof moduleResultSchema>;

/** Deliberate and observe answers: per-module data and the partial failures. */
export const enrichResponseSchema = z.object({
  data: z.array(moduleResultSchema).default([]),
  errors: z.array(moduleErrorSchema).default([]),
});

export type EnrichResult = z.infer<typeof enrichResponseSchema>;

/** A pivot link to a product console. */
export const referenceSchema = z
  .looseObject({
    ...moduleFields,
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    categories: z.array(z.string()).optional(),
    url: z.string(),
  })
  .transform(withModuleTypeId);

export type Reference = z.infer<typeof referenceSchema>;

/** Refer answer. */
export const referResponseSchema = z.object({
  data: z.array(referenceSchema).default([]),
  errors: z.array(moduleErrorSchema).default([]),
});

export type ReferResult = z.infer<typeof referResponseSchema>;
