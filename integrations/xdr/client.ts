/**
 * Client of Cisco XDR / SecureX: IROH inspect and enrich (api-contracts.md §3) and CTIA private
 * intelligence (§4), over an injected fetch.
 *
 * Every call gets a bearer token lazily (one shared request for concurrent callers, refreshed before
 * expiry, renewed once on a 401), waits out one short `429`, and throws the shared errors of
 * `../http.ts` (`ApiError`, `NetworkError`, `WireError`) or {@link XdrAuthError}. Partial module
 * failures inside an enrich 200 are returned in `errors`, not thrown. Nothing is retried blindly.
 */
import { z } from 'zod';
import { sleep as defaultSleep } from '../retry.js';
import type {
  CtimBundle,
  NewFeed,
  NewIndicator,
  NewJudgement,
  NewRelationship,
  Observable,
  WireObservable,
} from './ctim.js';
import { checkNonNegative, checkPositive, checkPresent, checkRange } from './checks.js';
import { checkObservables, keepSafeReferences } from './enrich.js';
import { feedViewRequest } from './feed-view.js';
import { type CtiaEntity, shortId } from './ids.js';
import { resolveHosts, type XdrHosts } from './regions.js';
import {
  type BundleImportResult,
  bundleImportResponseSchema,
  type CreatedFeed,
  createdFeedSchema,
  type EnrichResult,
  enrichResponseSchema,
  inspectResponseSchema,
  type ReferResult,
  referResponseSchema,
  STORED_SCHEMAS,
  type StoredEntities,
  type StoredIncident,
  type StoredIndicator,
  type StoredJudgement,
  type StoredRelationship,
  type StoredFeed,
} from './schemas.js';
import { type HttpMethod, XdrApi, type XdrStats } from './api.js';
import type { BundleImportOptions, CallOptions, SearchOptions, XdrClientOptions } from './types.js';

export { XdrAuthError } from './errors.js';
export type { XdrStats } from './api.js';

const DEFAULTS = { timeoutMs: 20_000, enrichTimeoutMs: 60_000, maxRetryAfterSeconds: 30 };
/** CTIA's largest page. */
const MAX_LIMIT = 10_000;

/** The XDR client. One instance holds one token; share it. */
export class XdrClient {
  /** The IROH and CTIA base URLs in use. */
  readonly hosts: Readonly<XdrHosts>;
  private readonly api: XdrApi;
  private readonly enrichTimeoutMs: number;

  /** @throws TypeError when the region, a base URL or the credentials are unusable. */
  constructor(options: XdrClientOptions) {
    this.hosts = Object.freeze(
      resolveHosts(options.region ?? 'us', { apiUrl: options.apiUrl, privateIntelUrl: options.privateIntelUrl }),
    );
    this.api = new XdrApi({
      hosts: this.hosts,
      clientId: checkPresent(options.clientId, 'clientId'),
      clientSecret: checkPresent(options.clientSecret, 'clientSecret'),
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: checkPositive(options.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs'),
      maxRetryAfterSeconds: checkNonNegative(
        options.maxRetryAfterSeconds ?? DEFAULTS.maxRetryAfterSeconds,
        'maxRetryAfterSeconds',
      ),
      now: options.now ?? Date.now,
      sleep: options.sleep ?? defaultSleep,
    });
    this.enrichTimeoutMs = checkPositive(options.enrichTimeoutMs ?? DEFAULTS.enrichTimeoutMs, 'enrichTimeoutMs');
  }

  /** Token fetches, answers by status, and the last org quota headers seen. */
  stats(): XdrStats {
    return this.api.stats();
  }

  // --- IROH ---------------------------------------------------------------------------------

  /** Observables IROH finds in free text (`POST /iroh/iroh-inspect/inspect`); types may be ones we do not know. */
  async inspect(content: string, options: CallOptions = {}): Promise<WireObservable[]> {
    if (typeof content !== 'string' || content.trim() === '') throw new TypeError('inspect needs some text');
    return this.api.json(
      { host: 'iroh', method: 'POST', path: '/iroh/iroh-inspect/inspect', json: { content }, signal: options.signal },
      inspectResponseSchema,
    );
  }

  /** Verdicts per module (`…/deliberate/observables`). */
  async deliberate(observables: readonly Observable[], options: CallOptions = {}): Promise<EnrichResult> {
    return this.enrich('deliberate', observables, options);
  }

  /** Verdicts, judgements, sightings and more, per module (`…/observe/observables`). */
  async observe(observables: readonly Observable[], options: CallOptions = {}): Promise<EnrichResult> {
    return this.enrich('observe', observables, options);
  }

  /**
   * Pivot links into product consoles (`…/refer/observables`). Links whose URL is not http(s) are
   * dropped and reported as `warning` entries of `errors`.
   */
  async refer(observables: readonly Observable[], options: CallOptions = {}): Promise<ReferResult> {
    const checked = checkObservables(observables);
    if (checked.length === 0) return { data: [], errors: [] };
    const result = await this.api.json(
      { ...this.enrichRequest('refer', checked), signal: options.signal },
      referResponseSchema,
    );
    return keepSafeReferences(result);
  }

  // --- CTIA: judgements ---------------------------------------------------------------------

  /** Creates a judgement (`POST /ctia/judgement`, 201). */
  async createJudgement(body: NewJudgement, options: CallOptions = {}): Promise<StoredJudgement> {
    return this.create('judgement', body, options);
  }

  /** One judgement, by long or short id. */
  async getJudgement(id: string, options: CallOptions = {}): Promise<StoredJudgement> {
    return this.getEntity('judgement', id, options);
  }

  /** Judgements matching a Lucene query (build it with `lucene()`). */
  async searchJudgements(query: string, limit?: number, options: SearchOptions = {}): Promise<StoredJudgement[]> {
    return this.search('judgement', query, limit, options);
  }

  /**
   * Ends a judgement's validity now (`POST /ctia/judgement/{id}/expire?reason=`): it drops out of
   * every feed. Returns the judgement as updated.
   */
  async expireJudgement(id: string, reason: string, options: CallOptions = {}): Promise<StoredJudgement> {
    if (reason.trim() === '') throw new TypeError('expiring a judgement needs a reason');
    return this.call('POST', `/ctia/judgement/${shortId(id, 'judgement')}/expire`, STORED_SCHEMAS.judgement, {
      query: { reason },
      signal: options.signal,
    });
  }

  // --- CTIA: indicators, feeds, relationships -------------------------------------------------

  /** Indicators matching a Lucene query, e.g. `lucene({ title })`. */
  async searchIndicators(query: string, limit?: number, options: SearchOptions = {}): Promise<StoredIndicator[]> {
    return this.search('indicator', query, limit, options);
  }

  /** Creates an indicator (`POST /ctia/indicator`). */
  async createIndicator(body: NewIndicator, options: CallOptions = {}): Promise<StoredIndicator> {
    return this.create('indicator', body, options);
  }

  /** Feeds matching a Lucene query. */
  async searchFeeds(query: string, limit?: number, options: SearchOptions = {}): Promise<StoredFeed[]> {
    return this.search('feed', query, limit, options);
  }

  /** Creates a feed; the answer carries its `secret` and `feed_view_url`. */
  async createFeed(body: NewFeed, options: CallOptions = {}): Promise<CreatedFeed> {
    return this.call('POST', '/ctia/feed', createdFeedSchema, { json: body, query: WAIT_FOR, signal: options.signal });
  }

  /** Creates a relationship, e.g. judgement `element-of` indicator, which puts it on the indicator's feeds. */
  async createRelationship(body: NewRelationship, options: CallOptions = {}): Promise<StoredRelationship> {
    return this.create('relationship', body, options);
  }

  /** Relationships matching a Lucene query, e.g. `lucene({ source_ref, relationship_type })`. */
  async searchRelationships(query: string, limit?: number, options: SearchOptions = {}): Promise<StoredRelationship[]> {
    return this.search('relationship', query, limit, options);
  }

  /**
   * The observable values a feed serves (`view.txt`, anonymous: the URL's `s=` is the credential).
   * Only a `view.txt` URL on the private-intel host is fetched; the secret never appears in errors.
   * @throws TypeError when `feedViewUrl` is not such a URL.
   */
  async fetchFeedView(feedViewUrl: string, options: CallOptions = {}): Promise<string[]> {
    const { url, shownUrl } = feedViewRequest(feedViewUrl, this.hosts.privateIntel);
    const text = await this.api.anonymousText(url, shownUrl, options.signal);
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  // --- CTIA: generic, bundles, incidents, sightings -------------------------------------------

  /** Entities whose `external_ids` include `externalId` (`GET /ctia/{entity}/external_id/{id}`). */
  async byExternalId<E extends CtiaEntity>(
    entity: E,
    externalId: string,
    options: CallOptions = {},
  ): Promise<StoredEntities[E][]> {
    if (externalId === '') throw new TypeError('external id is empty');
    const schema = z.array(STORED_SCHEMAS[entity]) as unknown as z.ZodType<StoredEntities[E][]>;
    return this.call('GET', `/ctia/${entity}/external_id/${encodeURIComponent(externalId)}`, schema, options);
  }

  /** One entity, by long or short id. */
  async getEntity<E extends CtiaEntity>(entity: E, id: string, options: CallOptions = {}): Promise<StoredEntities[E]> {
    const schema = STORED_SCHEMAS[entity] as unknown as z.ZodType<StoredEntities[E]>;
    return this.call('GET', `/ctia/${entity}/${shortId(id, entity)}`, schema, options);
  }

  /**
   * Imports a CTIM bundle (`POST /ctia/bundle/import`): `transient:` ids are resolved, and entities
   * whose external ids already exist come back as `"exists"` instead of being created again.
   */
  async importBundle(bundle: CtimBundle, options: BundleImportOptions = {}): Promise<BundleImportResult[]> {
    const prefixes = options.externalKeyPrefixes ?? [];
    if (prefixes.some((p) => p === '' || p.includes(','))) {
      throw new TypeError('external key prefixes must be non-empty and free of commas');
    }
    const { results } = await this.call('POST', '/ctia/bundle/import', bundleImportResponseSchema, {
      json: bundle,
      query: { 'external-key-prefixes': prefixes.length > 0 ? prefixes.join(',') : undefined },
      signal: options.signal,
    });
    return results;
  }

  /** Incidents matching a Lucene query. */
  async searchIncidents(query: string, limit?: number, options: SearchOptions = {}): Promise<StoredIncident[]> {
    return this.search('incident', query, limit, options);
  }

  // --- plumbing -------------------------------------------------------------------------------

  private async enrich(
    kind: 'deliberate' | 'observe',
    observables: readonly Observable[],
    options: CallOptions,
  ): Promise<EnrichResult> {
    const checked = checkObservables(observables);
    if (checked.length === 0) return { data: [], errors: [] };
    return this.api.json({ ...this.enrichRequest(kind, checked), signal: options.signal }, enrichResponseSchema);
  }

  private enrichRequest(kind: 'deliberate' | 'observe' | 'refer', observables: Observable[]) {
    return {
      host: 'iroh',
      method: 'POST',
      path: `/iroh/iroh-enrich/${kind}/observables`,
      json: observables,
      timeoutMs: this.enrichTimeoutMs,
    } as const;
  }

  /** Creates with `wait_for=true`, so the entity is searchable as soon as the call returns. */
  private create<E extends CtiaEntity>(entity: E, body: object, options: CallOptions): Promise<StoredEntities[E]> {
    const schema = STORED_SCHEMAS[entity] as unknown as z.ZodType<StoredEntities[E]>;
    return this.call('POST', `/ctia/${entity}`, schema, { json: body, query: WAIT_FOR, signal: options.signal });
  }

  private search<E extends CtiaEntity>(
    entity: E,
    query: string,
    limit: number | undefined,
    options: SearchOptions,
  ): Promise<StoredEntities[E][]> {
    if (query.trim() === '') throw new TypeError('a CTIA search needs a query');
    const schema = z.array(STORED_SCHEMAS[entity]) as unknown as z.ZodType<StoredEntities[E][]>;
    return this.call('GET', `/ctia/${entity}/search`, schema, {
      query: {
        query,
        limit: limit === undefined ? undefined : checkRange(limit, 1, MAX_LIMIT, 'limit'),
        offset:
          options.offset === undefined ? undefined : checkRange(options.offset, 0, Number.MAX_SAFE_INTEGER, 'offset'),
      },
      signal: options.signal,
    });
  }

  private call<T>(
    method: HttpMethod,
    path: string,
    schema: z.ZodType<T>,
    extra: { json?: unknown; query?: Record<string, string | number | undefined>; signal?: AbortSignal | undefined },
  ): Promise<T> {
    return this.api.json({ host: 'privateIntel', method, path, ...extra }, schema);
  }
}

const WAIT_FOR = { wait_for: 'true' } as const;
