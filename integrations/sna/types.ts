/**
 * Domain types the SNA client hands to the rest of the bot. They are shaped for our use, not for
 * the wire: see `schemas.ts` for what the SMC actually sends.
 */
import type { FetchLike } from '../http.js';

/** Options of {@link SnaClient}. */
export interface SnaClientOptions {
  /** `https://smc.example.com` (a trailing slash is ignored). */
  baseUrl: string;
  username: string;
  password: string;
  /** Transport; `globalThis.fetch` by default. See `createTlsFetch` for self-signed SMCs. */
  fetch?: FetchLike;
  /** Per request, login included. Default 15 000. */
  timeoutMs?: number;
  /** Longest pause between two status polls of a security-events query. Default 1 000. */
  queryPollIntervalMs?: number;
  /**
   * First pause before a query's status is checked; each later pause doubles, up to
   * `queryPollIntervalMs`. A quick job is seen done within a few hundred milliseconds instead of a
   * whole interval, for at most three extra status checks in a slow job's first second. Default 100.
   */
  queryFirstPollMs?: number;
  /** Longest wait for a query to complete before giving up. Default 60 000. */
  queryMaxWaitMs?: number;
  /** Injected for tests; must reject with `signal.reason` when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock of the session's lifetime (renewed before the SMC's 20 minutes run out). Default `Date.now`. */
  now?: () => number;
}

/** A tenant (the SMC calls it a domain). Its id is a path segment of most other calls. */
export interface SnaTenant {
  id: number;
  displayName: string;
}

/** One entry of the security-event type catalogue. */
export interface SnaEventTemplate {
  id: number;
  name: string;
  description: string;
}

/** A security-event type resolved from a configured id or name. */
export interface SnaEventType {
  id: number;
  name: string;
}

/** A host group the SMC reports an endpoint as member of. */
export interface SnaHostGroupRef {
  id: number;
  name: string;
}

/** One side of a security event. */
export interface SnaEndpoint {
  ip: string;
  /** As the SMC reports it; `0` is common when the port does not apply. */
  port?: number;
  protocol?: string;
  hostGroups: SnaHostGroupRef[];
}

/** A security event, normalized from the SMC's record. */
export interface SnaEvent {
  /** Stable while the event is ongoing: later reads advance `lastActive` and `hitCount` only. */
  id: number;
  typeId: number;
  /** ISO-8601 UTC with a `Z`, e.g. `2021-02-04T13:20:38.000Z`. */
  firstActive: string;
  /** ISO-8601 UTC with a `Z`. */
  lastActive: string;
  source: SnaEndpoint;
  target?: SnaEndpoint;
  hitCount: number;
  /** The `points` detail, when the SMC sent a numeric one. */
  points?: number;
  /** The record's `details[]` as a map; values stay strings. */
  details: Record<string, string>;
}

/** A host group as listed; the list carries few fields, so only these are relied on. */
export interface SnaHostGroupSummary {
  id: number;
  name: string;
  parentId?: number;
  location?: string;
}

/** Arguments of {@link SnaClient.querySecurityEvents}. */
export interface SnaEventQuery {
  from: Date;
  to: Date;
  /** Empty means every type. */
  typeIds: number[];
  /** Only events of these hosts: as source, target, or either when `type` is absent. */
  hosts?: Array<{ ip: string; type?: 'source' | 'target' }>;
  signal?: AbortSignal;
  /**
   * Called for each record that fails validation, which is then skipped. Without it one
   * malformed record fails the whole query with a WireError naming it.
   */
  onInvalidRecord?: (record: RejectedRecord) => void;
}

/** A security-event record the SMC sent that does not match the documented shape. */
export interface RejectedRecord {
  /** Position in the results. */
  index: number;
  /** The record's `id`, when it has a usable one. */
  id?: number;
  /** What is wrong, as `data.results.<n>.<field>: <problem>` (never the offending values). */
  issues: string[];
}

/** What `/status` shows about the SMC session. */
export interface SnaSessionInfo {
  loggedIn: boolean;
  /** When the current session was opened. */
  since?: Date;
  /** Successful logins since the client was created. */
  logins: number;
}
