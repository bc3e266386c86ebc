/** The CTIA routes of the simulator (api-contracts.md §4.1): create, read, delete, search, expire, bundles. */
import { badRequest, notFound, parseJsonBody, type SimRequest, type SimResponse } from '../http.js';
import { importBundle } from './bundle.js';
import { createEntity, type CreateContext } from './entities.js';
import { matchesQuery, parseQuery } from './query.js';
import { isEntityName, type SimEntityName, type StoredEntity } from './store.js';

/** What the CTIA routes need. */
export interface CtiaContext extends CreateContext {
  now: number;
  maxBundleEntities: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/** Answers an authenticated request under `/ctia/`. */
export function handleCtia(req: SimRequest, ctx: CtiaContext): SimResponse {
  const segments = req.path.split('/').slice(2).map(decodeSegment);
  const [entityName = '', second, third] = segments;
  const route = `${req.method} ${segments.length}`;
  if (entityName === 'bundle' && second === 'import' && route === 'POST 2') {
    return {
      status: 200,
      json: importBundle(jsonBody(req), req.query.get('external-key-prefixes'), ctx.maxBundleEntities, ctx),
    };
  }
  if (!isEntityName(entityName)) throw notFound(`route ${req.method} ${req.path}`);
  const entity: SimEntityName = entityName;
  switch (route) {
    case 'POST 1': {
      const created = createEntity(entity, jsonBody(req), ctx);
      return { status: 201, json: created, headers: { Location: created.id } };
    }
    case 'GET 2':
      return second === 'search' ? search(entity, req) : { status: 200, json: found(ctx, entity, second) };
    case 'GET 3':
      if (second === 'search' && third === 'count') return { status: 200, json: select(entity, req, ctx).length };
      if (second === 'external_id' && third) {
        return { status: 200, json: ctx.store.all(entity).filter((e) => hasExternalId(e, third)) };
      }
      break;
    case 'DELETE 2':
      if (!ctx.store.delete(entity, second ?? '')) throw notFound(`${entity} ${second ?? ''}`);
      return { status: 204 };
    case 'POST 3':
      if (entity === 'judgement' && third === 'expire') return { status: 200, json: expire(ctx, second ?? '', req) };
      break;
  }
  throw notFound(`route ${req.method} ${req.path}`);

  function search(name: SimEntityName, request: SimRequest): SimResponse {
    const hits = select(name, request, ctx);
    const limit = intParam(request, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = intParam(request, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    return { status: 200, json: hits.slice(offset, offset + limit), headers: { 'X-Total-Hits': String(hits.length) } };
  }
}

/** Matching entities, sorted by `sort_by` (`field` or `field:desc`, default creation order). */
function select(entity: SimEntityName, req: SimRequest, ctx: CtiaContext): StoredEntity[] {
  const terms = parseQuery(req.query.get('query'));
  const hits = ctx.store.all(entity).filter((e) => matchesQuery(e, terms));
  const sortBy = req.query.get('sort_by');
  if (!sortBy) return hits;
  const [field = '', inlineOrder] = sortBy.split(':');
  const descending = (inlineOrder ?? req.query.get('sort_order') ?? 'asc').toLowerCase() === 'desc';
  const key = (e: StoredEntity): string => String(e[field] ?? '');
  return hits.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (descending ? -1 : 1));
}

function found(ctx: CtiaContext, entity: SimEntityName, shortId: string | undefined): StoredEntity {
  const entityFound = ctx.store.get(entity, shortId ?? '');
  if (!entityFound) throw notFound(`${entity} ${shortId ?? ''}`);
  return entityFound;
}

/** `POST /ctia/judgement/{id}/expire?reason=`: validity ends now, the reason is appended. */
function expire(ctx: CtiaContext, shortId: string, req: SimRequest): StoredEntity {
  const reason = req.query.get('reason');
  if (!reason || reason.trim() === '') throw badRequest({ reason: 'missing-required-key' });
  if (reason.length > 1024) throw badRequest({ reason: 'longer than 1024 characters' });
  const judgement = found(ctx, 'judgement', shortId);
  const now = new Date(ctx.now).toISOString();
  const validTime = (judgement.valid_time ?? {}) as { start_time?: string; end_time?: string };
  const endsEarlier = validTime.end_time !== undefined && Date.parse(validTime.end_time) < ctx.now;
  const previous = typeof judgement.reason === 'string' && judgement.reason !== '' ? `${judgement.reason} ` : '';
  const updated = ctx.store.update('judgement', shortId, {
    valid_time: { ...validTime, end_time: endsEarlier ? validTime.end_time : now },
    reason: `${previous}${reason}`.slice(0, 1024),
  });
  if (!updated) throw notFound(`judgement ${shortId}`);
  return updated;
}

function hasExternalId(entity: StoredEntity, externalId: string): boolean {
  return Array.isArray(entity.external_ids) && entity.external_ids.includes(externalId);
}

function intParam(req: SimRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw badRequest({ [name]: `must be an integer from ${min} to ${max}` });
  return value;
}

function jsonBody(req: SimRequest): unknown {
  return parseJsonBody(req.body);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest({ path: 'malformed percent-encoding' });
  }
}
