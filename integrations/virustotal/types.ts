/** Options and domain types of the VirusTotal v3 client (api-contracts.md §7). */
import type { FetchLike } from '../http.js';

/** Options of {@link VirusTotalClient}. */
export interface VirusTotalClientOptions {
  /** Default `https://www.virustotal.com/api/v3`. */
  baseUrl?: string;
  apiKey: string;
  /** Transport; `globalThis.fetch` by default. */
  fetch?: FetchLike;
  /** Per request. Default 10 000. */
  timeoutMs?: number;
}

/** Observable types VirusTotal can look up. `ip` accepts IPv4 and IPv6; `ipv6` only IPv6. */
export type VtObservableType = 'ip' | 'ipv6' | 'domain' | 'url' | 'sha256' | 'sha1' | 'md5';

/** An observable to look up. */
export interface VtObservable {
  type: VtObservableType;
  value: string;
}

/** Options every call accepts. */
export interface VtCallOptions {
  /** Rejects the call with `signal.reason` as soon as it aborts. */
  signal?: AbortSignal;
}

/** Engine counts of the last analysis (`last_analysis_stats`). */
export interface VtStats {
  harmless: number;
  malicious: number;
  suspicious: number;
  undetected: number;
  timeout?: number;
}

/** What VirusTotal knows of an observable. `found: false` means it has never seen it (404). */
export type VtLookupResult =
  | { found: false }
  | {
      found: true;
      stats: VtStats;
      /** Community reputation; negative is bad. */
      reputation?: number;
      /** ISO-8601 UTC. */
      lastAnalysisDate?: string;
      /** `https://www.virustotal.com/gui/<kind>/<id>`. */
      link: string;
    };
