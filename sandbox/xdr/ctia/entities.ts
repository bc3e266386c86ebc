/** Validation and derived fields of each CTIA entity on create (api-contracts.md §4.2–4.7). */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth.js';
import { badRequest } from '../http.js';
import {
  newFeedSchema,
  newIncidentSchema,
  newIndicatorSchema,
  newJudgementSchema,
  newRelationshipSchema,
  newSightingSchema,
} from './schemas.js';
import type { CtiaStore, SimEntityName, StoredEntity } from './store.js';
import { checkTimeOrder, resolveDisposition, validate } from './validation.js';

/** What creating an entity needs besides its body. */
export interface CreateContext {
  store: CtiaStore;
  principal: Principal;
  /** Base URL the simulator is reachable at, for feed view URLs. */
  publicUrl: string;
}

/**
 * Validates `body` as a new `entity` and stores it.
 * @throws SimHttpError 400 on an invalid body.
 */
export function createEntity(entity: SimEntityName, body: unknown, ctx: CreateContext): StoredEntity {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest({ '(body)': 'not a JSON object' });
  switch (entity) {
    case 'judgement': {
      const parsed = validate(newJudgementSchema, body);
      checkTimeOrder(parsed.valid_time, 'valid_time');
      const disposition = resolveDisposition(parsed.disposition, parsed.disposition_name);
      return ctx.store.create(entity, { ...parsed, ...disposition }, ctx.principal);
    }
    case 'indicator': {
      const parsed = validate(newIndicatorSchema, body);
      checkTimeOrder(parsed.valid_time, 'valid_time');
      return ctx.store.create(entity, parsed, ctx.principal);
    }
    case 'feed': {
      const parsed = validate(newFeedSchema, body);
      checkTimeOrder(parsed.lifetime, 'lifetime');
      const output = parsed.output ?? 'observables';
      const secret = randomUUID();
      return ctx.store.create(entity, { ...parsed, output }, ctx.principal, (shortId) => ({
        secret,
        feed_view_url: `${ctx.publicUrl}/ctia/feed/${shortId}/${output === 'judgements' ? 'view' : 'view.txt'}?s=${secret}`,
      }));
    }
    case 'relationship':
      return ctx.store.create(entity, validate(newRelationshipSchema, body), ctx.principal);
    case 'sighting': {
      const parsed = validate(newSightingSchema, body);
      checkTimeOrder(parsed.observed_time, 'observed_time');
      return ctx.store.create(entity, parsed, ctx.principal);
    }
    case 'incident':
      return ctx.store.create(entity, validate(newIncidentSchema, body), ctx.principal);
  }
}
