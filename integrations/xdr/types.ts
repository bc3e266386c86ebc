/** Options of {@link XdrClient} and of its calls. */
import type { FetchLike } from '../http.js';
import type { XdrRegion } from './regions.js';

/** Options of {@link XdrClient}. */
export interface XdrClientOptions {
  /** The API client id, `client-<uuid>`. */
  clientId: string;
  clientSecret: string;
  /** Picks the IROH and private-intel hosts. Default `us`. */
  region?: XdrRegion;
  /** IROH base URL (token, inspect, enrich), replacing the region's. */
  apiUrl?: string;
  /** CTIA base URL (private intelligence), replacing the region's. */
  privateIntelUrl?: string;
  /** Transport; `globalThis.fetch` by default. */
  fetch?: FetchLike;
  /** Per HTTP exchange, token request included. Default 20 000. */
  timeoutMs?: number;
  /** Per enrich exchange (deliberate, observe, refer), which fan out to every module. Default 60 000. */
  enrichTimeoutMs?: number;
  /** A `429` is waited out and retried once when its `Retry-After` is at most this. Default 30. */
  maxRetryAfterSeconds?: number;
  /** Clock for token expiry and `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
  /** Injected for tests; must reject with `signal.reason` when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of the CTIA searches. */
export interface SearchOptions extends CallOptions {
  /** Hits to skip, for paging with `limit`. */
  offset?: number;
}

/** Options of {@link XdrClient.importBundle}. */
export interface BundleImportOptions extends CallOptions {
  /**
   * Only `external_ids` starting with one of these count when CTIA looks for entities that already
   * exist (`?external-key-prefixes=`). Default: every external id counts.
   */
  externalKeyPrefixes?: readonly string[];
}
