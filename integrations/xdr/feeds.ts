/**
 * The "add observable to blocking feed" sequence of Cisco's own workflows (api-contracts.md §4.5),
 * as two plain steps. Which observables, for how long, and who may block are the bot's decisions.
 */
import type { XdrClient } from './client.js';
import type { NewFeed, NewIndicator, NewJudgement, NewRelationship } from './ctim.js';
import { lucene } from './lucene.js';
import type { StoredFeed, StoredIndicator, StoredJudgement, StoredRelationship } from './schemas.js';
import type { CallOptions } from './types.js';

/** An indicator and the feed serving the judgements that are `element-of` it. */
export interface IndicatorFeed {
  indicator: StoredIndicator;
  feed: StoredFeed;
}

/** What {@link findOrCreateIndicatorFeed} looks for, and creates when missing. */
export interface IndicatorFeedSpec {
  /** The title of both the indicator and the feed: the key they are found by. */
  title: string;
  /** The indicator to create when none has the title. */
  indicator: Omit<NewIndicator, 'title'>;
  /** Extra feed fields (`tlp`, `output`, `lifetime`…) used when the feed is created. */
  feed?: Omit<NewFeed, 'title' | 'indicator_id' | 'feed_type'>;
}

/**
 * Finds the indicator with this title, or creates it; then the feed with this title pointing at it,
 * or creates it. Not atomic: two concurrent first calls can create two of each, so callers serialize
 * it (it runs once per observable type).
 */
export async function findOrCreateIndicatorFeed(
  client: XdrClient,
  spec: IndicatorFeedSpec,
  options: CallOptions = {},
): Promise<IndicatorFeed> {
  const [existing] = await client.searchIndicators(lucene({ title: spec.title }), 1, options);
  const indicator = existing ?? (await client.createIndicator({ ...spec.indicator, title: spec.title }, options));
  const [existingFeed] = await client.searchFeeds(
    lucene({ title: spec.title, indicator_id: indicator.id }),
    1,
    options,
  );
  const feed =
    existingFeed ??
    (await client.createFeed(
      { output: 'observables', ...spec.feed, feed_type: 'indicator', title: spec.title, indicator_id: indicator.id },
      options,
    ));
  return { indicator, feed };
}

/**
 * Creates a judgement and links it `element-of` the indicator, which puts its observable on the
 * indicator's feeds while the judgement is valid. The relationship takes the judgement's `source`
 * and `tlp` unless `relationship` says otherwise. When linking fails, the error propagates and the
 * judgement stays stored but on no feed; whether to expire it is the caller's choice.
 */
export async function addJudgementToIndicator(
  client: XdrClient,
  judgement: NewJudgement,
  indicatorId: string,
  relationship: Partial<Pick<NewRelationship, 'source' | 'tlp' | 'external_ids' | 'short_description'>> = {},
  options: CallOptions = {},
): Promise<{ judgement: StoredJudgement; relationship: StoredRelationship }> {
  const stored = await client.createJudgement(judgement, options);
  const link = await client.createRelationship(
    {
      source: judgement.source,
      ...(judgement.tlp ? { tlp: judgement.tlp } : {}),
      ...relationship,
      relationship_type: 'element-of',
      source_ref: stored.id,
      target_ref: indicatorId,
    },
    options,
  );
  return { judgement: stored, relationship: link };
}
