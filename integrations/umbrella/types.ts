/**
 * Options and domain types of the Umbrella Investigate client (api-contracts.md §5). They are shaped
 * for the bot, not for the wire: see `schemas.ts` for what Investigate sends.
 */

/** The current Umbrella API: OAuth2 client credentials, exchanged for a short-lived bearer token. */
export interface UmbrellaOAuthOptions {
  /** Default `https://api.umbrella.com/investigate/v2`. */
  baseUrl?: string;
  /** Default `https://api.umbrella.com/auth/v2/token`. */
  tokenUrl?: string;
  apiKey: string;
  apiSecret: string;
}

/** The legacy Investigate API: one static bearer token. */
export interface UmbrellaLegacyOptions {
  /** Default `https://investigate.api.umbrella.com`. */
  baseUrl?: string;
  legacyToken: string;
}

/** Options of {@link UmbrellaClient}: OAuth2 credentials or a legacy token, never both. */
export type UmbrellaClientOptions = UmbrellaOAuthOptions | UmbrellaLegacyOptions;

/** Options every call accepts. */
export interface CallOptions {
  /** Rejects the call with `signal.reason` as soon as it aborts. */
  signal?: AbortSignal;
}

/** Umbrella's domain status: −1 malicious, 0 undetermined, 1 safe. */
export type UmbrellaStatus = -1 | 0 | 1;

/** `GET /domains/categorization/{domain}?showLabels`, for one domain. */
export interface UmbrellaCategorization {
  status: UmbrellaStatus;
  /** Labels such as `Malware` or `Phishing`; empty for most domains. */
  securityCategories: string[];
  /** Labels such as `Ecommerce/Shopping`. */
  contentCategories: string[];
}

/** A share of traffic from one country or region, as `[code, share]` on the wire. */
export interface UmbrellaGeoShare {
  code: string;
  share: number;
}

/**
 * `GET /security/name/{domain}`. Scores Investigate did not send (or sent as `null`) are absent.
 * Lower `secureRank2` is worse; a `dgaScore` near −100 suggests a generated name.
 */
export interface UmbrellaSecurity {
  /** `false` when Investigate knows nothing about the domain. */
  found: boolean;
  dgaScore?: number;
  perplexity?: number;
  entropy?: number;
  secureRank2?: number;
  pageRank?: number;
  asnScore?: number;
  prefixScore?: number;
  ripScore?: number;
  popularity?: number;
  geoScore?: number;
  ksTest?: number;
  geodiversity: UmbrellaGeoShare[];
  geodiversityNormalized: UmbrellaGeoShare[];
  tldGeodiversity: UmbrellaGeoShare[];
  /** The attack name, when the domain is tied to one. */
  attack?: string;
  /** The threat type, when the domain is tied to one. */
  threatType?: string;
}

/** One factor of the risk score. */
export interface UmbrellaRiskIndicator {
  indicator: string;
  normalizedScore?: number;
  score?: number;
}

/** `GET /domains/risk-score/{domain}`: 0 (no risk) to 100 (blocked). */
export interface UmbrellaRiskScore {
  riskScore: number;
  indicators: UmbrellaRiskIndicator[];
}

/** How the bot should read a source's answer. */
export type UmbrellaDisposition = 'malicious' | 'suspicious' | 'clean' | 'unknown';

/** Categorization and risk score of a domain, read together. */
export interface UmbrellaDomainVerdict extends UmbrellaCategorization {
  /** The domain as queried (lower-case ASCII). */
  domain: string;
  disposition: UmbrellaDisposition;
  /** Absent when the organization's package does not include the risk score (403/404). */
  riskScore?: number;
  /** The domain's page in the Investigate console (URL pattern UNVERIFIED). */
  link: string;
}
