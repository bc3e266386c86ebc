/**
 * Client of Cisco Secure Endpoint (AMP for Endpoints) API v1 (api-contracts.md §6), for enrichment:
 * which computers have an IP, which saw an observable, and what was detected for a file.
 *
 * Throws the shared errors of `../http.ts`. A 429 is an `ApiError` whose `retryAfterSeconds` comes
 * from `Retry-After` or, failing that, `X-RateLimit-Reset`.
 */
import { isIP } from 'node:net';
import { type FetchLike } from '../http.js';
import { checkBaseUrl } from '../wire.js';
import { toComputer, toEvent } from './normalize.js';
import { type Paging, readPages } from './pagination.js';
import { consoleOrigin, SECURE_ENDPOINT_REGIONS } from './regions.js';
import { computerSchema, eventSchema } from './schemas.js';
import { SeApi } from './api.js';
import type { SecureEndpointClientOptions, SeCallOptions, SeComputer, SeEvent, SeList, SeRateLimit } from './types.js';

export { SECURE_ENDPOINT_REGIONS, type SecureEndpointRegion } from './regions.js';
export type * from './types.js';

const DEFAULTS = { timeoutMs: 10_000, pageSize: 100, maxPages: 3 };
/** The API's largest `limit` (SECONDARY). */
const MAX_PAGE_SIZE = 500;
const MAX_QUERY_LENGTH = 2048;

/** The Secure Endpoint client. It keeps the last rate-limit headers seen; share one instance. */
export class SecureEndpointClient {
  private readonly api: SeApi;
  private readonly console: string;
  private readonly paging: { pageSize: number; maxPages: number };

  /** @throws TypeError when the base URL, the credentials or a number option are unusable. */
  constructor(options: SecureEndpointClientOptions) {
    const fetch: FetchLike = options.fetch ?? globalThis.fetch;
    this.api = new SeApi({
      baseUrl: checkBaseUrl(options.baseUrl ?? SECURE_ENDPOINT_REGIONS.nam, 'Secure Endpoint base URL').replace(
        /\/v1$/,
        '',
      ),
      clientId: required(options.clientId, 'clientId'),
      apiKey: required(options.apiKey, 'apiKey'),
      fetch,
      timeoutMs: positive(options.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs'),
    });
    this.console = consoleOrigin(this.api.url(''));
    this.paging = this.checkPaging(options, DEFAULTS);
  }

  /**
   * The console's "Device trajectory" page of a computer, for people:
   * `https://console.amp.cisco.com/computers/<guid>/trajectory?q=<query>` (or the region's console).
   * The `links.trajectory` of API answers is the API URL, which needs the API credentials.
   */
  trajectoryUrl(connectorGuid: string, query = ''): string {
    return `${this.console}/computers/${encodeURIComponent(connectorGuid)}/trajectory?q=${encodeURIComponent(query)}`;
  }

  /**
   * `GET /v1/computers?internal_ip=<ip>`: the computers reporting that internal address.
   * @throws RangeError when `ip` is not an IPv4 or IPv6 address.
   */
  async computersByInternalIp(ip: string, options: SeCallOptions = {}): Promise<SeList<SeComputer>> {
    const address = ip.trim();
    if (isIP(address) === 0) throw new RangeError(`not an IP address: ${JSON.stringify(ip.slice(0, 100))}`);
    const list = await readPages(
      this.api,
      '/v1/computers',
      { internal_ip: address },
      computerSchema,
      this.pagingOf(options),
    );
    return { ...list, items: list.items.map(toComputer) };
  }

  /**
   * `GET /v1/computers/activity?q=<q>`: computers that saw a SHA-256, IP, URL or file name.
   * Items carry guid, hostname, `active` and links only.
   * @throws RangeError when `q` is blank, over 2048 characters, or holds control characters.
   */
  async computerActivity(q: string, options: SeCallOptions = {}): Promise<SeList<SeComputer>> {
    const query = q.trim();
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (query === '' || query.length > MAX_QUERY_LENGTH || /[\u0000-\u001f\u007f]/.test(query)) {
      throw new RangeError('activity query must be 1-2048 printable characters');
    }
    const list = await readPages(
      this.api,
      '/v1/computers/activity',
      { q: query },
      computerSchema,
      this.pagingOf(options),
    );
    return { ...list, items: list.items.map(toComputer) };
  }

  /**
   * `GET /v1/events?detection_sha256=<sha256>`: events (detections, quarantines…) about a file.
   * @throws RangeError when `sha256` is not 64 hex digits.
   */
  async eventsForSha256(sha256: string, options: SeCallOptions = {}): Promise<SeList<SeEvent>> {
    const hash = sha256.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new RangeError(`not a SHA-256: ${JSON.stringify(sha256.slice(0, 100))}`);
    const list = await readPages(
      this.api,
      '/v1/events',
      { detection_sha256: hash },
      eventSchema,
      this.pagingOf(options),
    );
    return { ...list, items: list.items.map(toEvent) };
  }

  /** The hourly budget from the last response's `X-RateLimit-*` headers; `undefined` before any. */
  rateLimit(): SeRateLimit | undefined {
    return this.api.rateLimit();
  }

  private pagingOf(options: SeCallOptions): Paging {
    return { ...this.checkPaging(options, this.paging), signal: options.signal };
  }

  private checkPaging(
    given: { pageSize?: number | undefined; maxPages?: number | undefined },
    fallback: { pageSize: number; maxPages: number },
  ): { pageSize: number; maxPages: number } {
    const pageSize = given.pageSize ?? fallback.pageSize;
    const maxPages = given.maxPages ?? fallback.maxPages;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new RangeError(`Secure Endpoint pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    if (!Number.isInteger(maxPages) || maxPages < 1)
      throw new RangeError('Secure Endpoint maxPages must be a positive integer');
    return { pageSize, maxPages };
  }
}

function required(value: string, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Secure Endpoint ${what} is required`);
  return value;
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`Secure Endpoint ${what} must be a positive number`);
  return value;
}
