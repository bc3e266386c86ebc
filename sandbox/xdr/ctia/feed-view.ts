/**
 * Feed views (api-contracts.md §4.4): anonymous, the `s=` secret is the credential. A feed lists the
 * observables of judgements that are `element-of` its indicator and valid now, sorted and deduplicated.
 */
import { SimHttpError, type SimRequest, type SimResponse } from '../http.js';
import { type CtiaStore, isValidAt, type StoredEntity } from './store.js';

/** `/ctia/feed/{id}/view.txt` and `/ctia/feed/{id}/view`. */
export const FEED_VIEW_ROUTE = /^\/ctia\/feed\/([^/]+)\/(view\.txt|view)$/;

/** Answers a feed view request (GET only; the caller matched {@link FEED_VIEW_ROUTE}). */
export function serveFeedView(store: CtiaStore, req: SimRequest, now: number): SimResponse {
  const [, feedId = '', view] = FEED_VIEW_ROUTE.exec(req.path) ?? [];
  const feed = store.get('feed', feedId);
  if (!feed || !isValidAt(feed.lifetime, now)) throw new SimHttpError(404, 'feed not found');
  if (req.query.get('s') !== feed.secret) throw new SimHttpError(401, 'wrong secret');
  const judgements = feedJudgements(store, feed, now);
  const observables = uniqueObservables(judgements);
  if (view === 'view.txt') {
    return { status: 200, text: [...new Set(observables.map((o) => o.value))].sort().join('\n') };
  }
  return feed.output === 'judgements' ? { status: 200, json: { judgements } } : { status: 200, json: { observables } };
}

/** Judgements linked `element-of` the feed's indicator and valid at `now`. */
export function feedJudgements(store: CtiaStore, feed: StoredEntity, now: number): StoredEntity[] {
  const indicatorId = feed.indicator_id;
  if (typeof indicatorId !== 'string') return [];
  const found = new Map<string, StoredEntity>();
  for (const relationship of store.all('relationship')) {
    if (relationship.relationship_type !== 'element-of' || relationship.target_ref !== indicatorId) continue;
    const judgement = typeof relationship.source_ref === 'string' ? store.resolve(relationship.source_ref) : undefined;
    if (judgement?.type === 'judgement' && isValidAt(judgement.valid_time, now)) found.set(judgement.id, judgement);
  }
  return [...found.values()];
}

function uniqueObservables(judgements: readonly StoredEntity[]): { type: string; value: string }[] {
  const byKey = new Map<string, { type: string; value: string }>();
  for (const judgement of judgements) {
    const { type, value } = judgement.observable as { type: string; value: string };
    byKey.set(`${type}\u0000${value}`, { type, value });
  }
  return [...byKey.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
