/** The XDR integration's public surface: the client, CTIM types, query and id helpers, the feed steps. */
export { XdrAuthError, XdrClient } from './client.js';
export * from './ctim.js';
export {
  addJudgementToIndicator,
  findOrCreateIndicatorFeed,
  type IndicatorFeed,
  type IndicatorFeedSpec,
} from './feeds.js';
export { CTIA_ENTITIES, type CtiaEntity, shortId } from './ids.js';
export { lucene, luceneTerm, MAX_LUCENE_VALUE_LENGTH, quoteLucene } from './lucene.js';
export { isXdrRegion, XDR_REGIONS, type XdrHosts, type XdrRegion } from './regions.js';
export type {
  BundleImportResult,
  CreatedFeed,
  EnrichJudgement,
  EnrichResult,
  EnrichSighting,
  ModuleData,
  ModuleError,
  ModuleResult,
  Reference,
  ReferResult,
  StoredEntities,
  StoredFeed,
  StoredIncident,
  StoredIndicator,
  StoredJudgement,
  StoredRelationship,
  StoredSighting,
  Verdict,
} from './schemas.js';
export type { XdrStats } from './api.js';
export type * from './types.js';
