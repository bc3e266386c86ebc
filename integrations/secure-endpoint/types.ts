/**
 * Options and domain types of the Secure Endpoint client (api-contracts.md §6). Shaped for the bot;
 * see `schemas.ts` for the wire.
 */
import type { FetchLike } from '../http.js';

/** Options of {@link SecureEndpointClient}. */
export interface SecureEndpointClientOptions {
  /** Default `https://api.amp.cisco.com` (see `SECURE_ENDPOINT_REGIONS`); a trailing `/v1` is ignored. */
  baseUrl?: string;
  clientId: string;
  apiKey: string;
  /** Transport; `globalThis.fetch` by default. */
  fetch?: FetchLike;
  /** Per request. Default 10 000. */
  timeoutMs?: number;
  /** `limit` of each page. Default 100, at most 500. */
  pageSize?: number;
  /** Most pages read per call when `metadata.links.next` keeps coming. Default 3. */
  maxPages?: number;
}

/** Options every call accepts; paging options override the client's. */
export interface SeCallOptions {
  /** Rejects the call with `signal.reason` as soon as it aborts. */
  signal?: AbortSignal;
  pageSize?: number;
  maxPages?: number;
}

/** Items of a paged listing. */
export interface SeList<T> {
  items: T[];
  /** `metadata.results.total`: how many there are, read or not. */
  total: number;
  /** More items exist than were read (page cap reached). */
  truncated: boolean;
}

/** Network isolation of a computer. */
export interface SeIsolation {
  available: boolean;
  /** `not_isolated`, `pending_start`, `isolated`, `pending_stop`, … as the API says. */
  status: string;
}

/**
 * A computer (connector). `/computers/activity` sends only guid, hostname, `active` and links, so
 * the other fields are absent there; `internalIps` is then empty.
 */
export interface SeComputer {
  connectorGuid: string;
  hostname: string;
  active: boolean;
  operatingSystem?: string;
  internalIps: string[];
  externalIp?: string;
  isolation?: SeIsolation;
  /** API links (`computer`, `trajectory`, `group`), as sent: API URLs that need the API key, not pages for people (see `SecureEndpointClient.trajectoryUrl`). */
  links: SeLinks;
}

export interface SeLinks {
  computer?: string;
  trajectory?: string;
  group?: string;
}

/** The computer an event happened on. */
export interface SeEventComputer {
  connectorGuid: string;
  hostname: string;
  /** The logged-in user, when the event carries one. */
  user?: string;
  externalIp?: string;
  /** Addresses of `network_addresses[]`. */
  internalIps: string[];
}

/** The file an event is about. */
export interface SeEventFile {
  disposition?: string;
  fileName?: string;
  filePath?: string;
  sha256?: string;
  sha1?: string;
  md5?: string;
  parentFileName?: string;
  parentSha256?: string;
}

/** An event of `GET /v1/events`. */
export interface SeEvent {
  /** As a string: the API's numeric ids exceed `Number.MAX_SAFE_INTEGER`. */
  id: string;
  /** ISO-8601 UTC. */
  time: string;
  eventType: string;
  eventTypeId: number;
  detection?: string;
  severity?: string;
  connectorGuid?: string;
  computer?: SeEventComputer;
  file?: SeEventFile;
}

/** The hourly request budget, from the last response's `X-RateLimit-*` headers. */
export interface SeRateLimit {
  limit?: number;
  remaining?: number;
  /** Seconds until the budget resets, as sent. */
  resetSeconds?: number;
  /** When the budget resets, from `resetSeconds` and the time of the response. */
  resetAt?: Date;
  /** When the headers were read. */
  observedAt: Date;
}
