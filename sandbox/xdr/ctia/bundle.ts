/**
 * `POST /ctia/bundle/import` (api-contracts.md §4.6): `transient:` ids resolved to the real ids of
 * the same import, entities whose (prefix-filtered) external ids exist reported as `"exists"` and left
 * untouched, invalid entities reported as `"error"` without failing the others.
 */
import { z } from 'zod';
import { badRequest, SimHttpError } from '../http.js';
import { createEntity, type CreateContext } from './entities.js';
import { externalIdsOf, type SimEntityName } from './store.js';
import { validate } from './validation.js';

/** One entry of the answer's `results`. */
export interface BundleResult {
  id?: string;
  original_id?: string;
  result: 'created' | 'exists' | 'error';
  type: SimEntityName;
  external_ids?: string[];
  error?: unknown;
  msg?: string;
}

/** Bundle keys the simulator imports, in import order: relationships last, to resolve their refs. */
const SECTIONS = [
  ['indicators', 'indicator'],
  ['judgements', 'judgement'],
  ['sightings', 'sighting'],
  ['incidents', 'incident'],
  ['relationships', 'relationship'],
] as const;

const entityList = z.array(z.looseObject({})).optional();

const bundleSchema = z.strictObject({
  type: z.literal('bundle').optional(),
  id: z.string().optional(),
  schema_version: z.string().optional(),
  source: z.string().max(2048).optional(),
  source_uri: z.string().optional(),
  tlp: z.string().optional(),
  external_ids: z.array(z.string()).optional(),
  indicators: entityList,
  judgements: entityList,
  sightings: entityList,
  incidents: entityList,
  relationships: entityList,
});

/** Imports a bundle and returns `{ results }`. */
export function importBundle(
  body: unknown,
  prefixesParam: string | null,
  maxEntities: number,
  ctx: CreateContext,
): { results: BundleResult[] } {
  const bundle = validate(bundleSchema, body);
  const total = SECTIONS.reduce((sum, [key]) => sum + (bundle[key]?.length ?? 0), 0);
  if (total > maxEntities) throw new SimHttpError(400, { error: `Bundle max nb of entities: ${maxEntities}` });
  const prefixes = (prefixesParam ?? '').split(',').filter((p) => p !== '');
  const realIds = new Map<string, string>();
  const results: BundleResult[] = [];
  for (const [key, entity] of SECTIONS) {
    for (const raw of bundle[key] ?? []) {
      results.push(importOne(entity, raw, { ctx, prefixes, realIds }));
    }
  }
  return { results };
}

interface ImportState {
  ctx: CreateContext;
  prefixes: readonly string[];
  /** `transient:` (or given) id → real long id. */
  realIds: Map<string, string>;
}

function importOne(entity: SimEntityName, raw: Record<string, unknown>, state: ImportState): BundleResult {
  const originalId = typeof raw.id === 'string' ? raw.id : undefined;
  const externalIds = externalIdsOf(raw);
  const base: BundleResult = {
    result: 'error',
    type: entity,
    ...(originalId ? { original_id: originalId } : {}),
    ...(externalIds.length > 0 ? { external_ids: externalIds } : {}),
  };
  const keys =
    state.prefixes.length > 0 ? externalIds.filter((x) => state.prefixes.some((p) => x.startsWith(p))) : externalIds;
  const existing = keys.length > 0 ? state.ctx.store.findByExternalIds(entity, keys) : undefined;
  if (existing) {
    if (originalId) state.realIds.set(originalId, existing.id);
    return { ...base, result: 'exists', id: existing.id };
  }
  try {
    const body = entity === 'relationship' ? resolveRefs(raw, state.realIds) : raw;
    const created = createEntity(entity, body, state.ctx);
    if (originalId) state.realIds.set(originalId, created.id);
    return { ...base, result: 'created', id: created.id };
  } catch (error) {
    if (!(error instanceof SimHttpError)) throw error;
    return { ...base, error: error.body, msg: `${entity} was not imported: invalid entity` };
  }
}

/** Replaces `transient:` refs by the real ids created earlier in this import. */
function resolveRefs(raw: Record<string, unknown>, realIds: ReadonlyMap<string, string>): Record<string, unknown> {
  const resolved = { ...raw };
  for (const field of ['source_ref', 'target_ref'] as const) {
    const ref = raw[field];
    if (typeof ref !== 'string' || !ref.startsWith('transient:')) continue;
    const real = realIds.get(ref);
    if (!real) throw badRequest({ [field]: `unresolved transient id ${JSON.stringify(ref.slice(0, 80))}` });
    resolved[field] = real;
  }
  return resolved;
}
