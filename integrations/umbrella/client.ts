/**
 * Client of Umbrella Investigate (api-contracts.md §5), current OAuth2 API or legacy static token.
 *
 * Every method validates the domain, sends one GET (plus a token request when needed), retries once
 * with a fresh token after a 401 (OAuth2 only), and throws the shared errors of `../http.ts`.
 * A 429 is an `ApiError`; `retryAfterSeconds` is set only if Umbrella sent `Retry-After`, which it
 * does not document: back off at least one second.
 */
import type { z } from 'zod';
import { ApiError, WireError } from '../errors.js';
import { type Auth, type FetchLike, HttpClient, staticAuth } from '../http.js';
import { checkBaseUrl, errorBody, parseWire } from '../wire.js';
import { bearerAuth, TokenCache } from '../token-cache.js';
import { normalizeDomain } from './domain.js';
import {
  categorizationEntrySchema,
  categorizationSchema,
  errorBodySchema,
  riskScoreSchema,
  securitySchema,
  tokenResponseSchema,
  type WireSecurity,
} from './schemas.js';
import type {
  CallOptions,
  UmbrellaCategorization,
  UmbrellaClientOptions,
  UmbrellaDomainVerdict,
  UmbrellaGeoShare,
  UmbrellaRiskScore,
  UmbrellaSecurity,
} from './types.js';
import { investigateLink, umbrellaDisposition } from './verdict.js';

export { normalizeDomain } from './domain.js';
export type * from './types.js';
export { UMBRELLA_SUSPICIOUS_RISK_SCORE, umbrellaDisposition } from './verdict.js';

/** Default hosts of api-contracts.md §5.1. */
export const UMBRELLA_DEFAULTS = {
  baseUrl: 'https://api.umbrella.com/investigate/v2',
  tokenUrl: 'https://api.umbrella.com/auth/v2/token',
  legacyBaseUrl: 'https://investigate.api.umbrella.com',
  timeoutMs: 10_000,
} as const;

/** The Investigate client. One instance caches one OAuth2 token; share it. */
export class UmbrellaClient {
  private readonly baseUrl: string;
  private readonly http: HttpClient<string | undefined>;

  /** @throws TypeError when a URL or the credentials are unusable, or both kinds of credentials are given. */
  constructor(
    options: UmbrellaClientOptions,
    fetch: FetchLike = globalThis.fetch,
    timeoutMs: number = UMBRELLA_DEFAULTS.timeoutMs,
  ) {
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new TypeError('Umbrella timeoutMs must be a positive number');
    const exchange = (secrets: string[], auth?: Auth<string | undefined>) =>
      new HttpClient({
        service: 'umbrella',
        fetch,
        timeoutMs,
        secrets: () => secrets,
        auth,
        hooks: { errorDetail: umbrellaMessage },
      });
    if ('legacyToken' in options) {
      if ('apiKey' in options || 'apiSecret' in options) {
        throw new TypeError('Umbrella takes either apiKey/apiSecret or legacyToken, not both');
      }
      // The legacy Investigate token never changes, so a 401 is final.
      const token = required(options.legacyToken, 'legacyToken');
      this.baseUrl = checkBaseUrl(options.baseUrl ?? UMBRELLA_DEFAULTS.legacyBaseUrl, 'Umbrella base URL');
      this.http = exchange([token], staticAuth({ Authorization: `Bearer ${token}` }));
      return;
    }
    const apiKey = required(options.apiKey, 'apiKey');
    const apiSecret = required(options.apiSecret, 'apiSecret');
    this.baseUrl = checkBaseUrl(options.baseUrl ?? UMBRELLA_DEFAULTS.baseUrl, 'Umbrella base URL');
    const tokenUrl = checkBaseUrl(options.tokenUrl ?? UMBRELLA_DEFAULTS.tokenUrl, 'Umbrella token URL');
    const basic = Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64');
    const tokenHttp = exchange([apiKey, apiSecret, basic]);
    // OAuth2 client credentials; concurrent callers share one token request (20 a minute per key).
    const tokens = new TokenCache(async () => {
      const request = {
        method: 'POST',
        url: tokenUrl,
        headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
        form: { grant_type: 'client_credentials' },
      } as const;
      const body = tokenHttp.parse(request, (await tokenHttp.request(request)).text, tokenResponseSchema);
      return { value: body.access_token, expiresInSeconds: body.expires_in };
    });
    this.http = exchange([apiKey, apiSecret, basic], bearerAuth(tokens));
  }

  /**
   * `GET /domains/categorization/{domain}?showLabels`: status and category labels.
   * @throws RangeError when `domain` is not a domain name.
   */
  async categorization(domain: string, options: CallOptions = {}): Promise<UmbrellaCategorization> {
    const name = normalizeDomain(domain);
    const path = `/domains/categorization/${encodeURIComponent(name)}?showLabels`;
    const byDomain = new Map(Object.entries(await this.get(path, categorizationSchema, options.signal)));
    const entry =
      byDomain.get(name) ?? [...byDomain].find(([key]) => key.toLowerCase().replace(/\.$/, '') === name)?.[1];
    const ctx = this.ctx(path);
    if (entry === undefined) throw new WireError({ ...ctx, issues: [`(root): no entry for ${name}`] });
    const wire = parseWire(categorizationEntrySchema, entry, ctx);
    return {
      status: wire.status,
      securityCategories: wire.security_categories,
      contentCategories: wire.content_categories,
    };
  }

  /**
   * `GET /security/name/{domain}`: the security scores.
   * @throws RangeError when `domain` is not a domain name.
   */
  async security(domain: string, options: CallOptions = {}): Promise<UmbrellaSecurity> {
    const path = `/security/name/${encodeURIComponent(normalizeDomain(domain))}`;
    return toSecurity(await this.get(path, securitySchema, options.signal));
  }

  /**
   * `GET /domains/risk-score/{domain}`: 0 (no risk) to 100 (blocked), with its indicators.
   * @throws RangeError when `domain` is not a domain name.
   */
  async riskScore(domain: string, options: CallOptions = {}): Promise<UmbrellaRiskScore> {
    const path = `/domains/risk-score/${encodeURIComponent(normalizeDomain(domain))}`;
    const wire = await this.get(path, riskScoreSchema, options.signal);
    return {
      riskScore: wire.risk_score,
      indicators: wire.indicators.map((i) => ({
        indicator: i.indicator,
        ...defined('normalizedScore', i.normalized_score),
        ...defined('score', i.score),
      })),
    };
  }

  /**
   * Categorization and risk score, fetched in parallel (two calls; the security scores are left out
   * to keep `/enrich` cheap). A 403/404 on the risk score, which not every package includes, leaves
   * it out; any other failure of either call rejects.
   * @throws RangeError when `domain` is not a domain name.
   */
  async domainVerdict(domain: string, options: CallOptions = {}): Promise<UmbrellaDomainVerdict> {
    const name = normalizeDomain(domain);
    const [categorization, risk] = await Promise.all([
      this.categorization(name, options),
      this.riskScore(name, options).catch((error: unknown) => {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return undefined;
        throw error;
      }),
    ]);
    return {
      domain: name,
      disposition: umbrellaDisposition(categorization, risk?.riskScore),
      ...categorization,
      ...defined('riskScore', risk?.riskScore),
      link: investigateLink(name),
    };
  }

  private get<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    return this.http.json(
      { method: 'GET', url: `${this.baseUrl}${path}`, headers: { Accept: 'application/json' }, signal },
      schema,
    );
  }

  private ctx(path: string) {
    return { service: 'umbrella', method: 'GET', url: `${this.baseUrl}${path}` } as const;
  }
}

/** Umbrella's error body is `{"message": "…"}`. */
function umbrellaMessage(text: string): string | undefined {
  return errorBody(text, errorBodySchema)?.message;
}

function toSecurity(wire: WireSecurity): UmbrellaSecurity {
  const geo = (list: [string, number][]): UmbrellaGeoShare[] => list.map(([code, share]) => ({ code, share }));
  return {
    found: wire.found,
    ...defined('dgaScore', wire.dga_score),
    ...defined('perplexity', wire.perplexity),
    ...defined('entropy', wire.entropy),
    ...defined('secureRank2', wire.securerank2),
    ...defined('pageRank', wire.pagerank),
    ...defined('asnScore', wire.asn_score),
    ...defined('prefixScore', wire.prefix_score),
    ...defined('ripScore', wire.rip_score),
    ...defined('popularity', wire.popularity),
    ...defined('geoScore', wire.geoscore),
    ...defined('ksTest', wire.ks_test),
    geodiversity: geo(wire.geodiversity),
    geodiversityNormalized: geo(wire.geodiversity_normalized),
    tldGeodiversity: geo(wire.tld_geodiversity),
    ...defined('attack', wire.attack || undefined),
    ...defined('threatType', wire.threat_type || undefined),
  };
}

/** `{ [key]: value }` when the value is present, `{}` otherwise: absent fields stay absent. */
function defined<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function required(value: string, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Umbrella ${what} is required`);
  return value;
}
