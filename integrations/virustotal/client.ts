/**
 * Client of the VirusTotal API v3 (api-contracts.md §7): one lookup per observable.
 *
 * 404 `NotFoundError` means VirusTotal has never seen the observable and reads `{ found: false }`.
 * Every other failure throws the shared errors of `../http.ts`; an `ApiError`'s `detail` starts with
 * VirusTotal's error code (`QuotaExceededError: …`). The public API allows 4 requests a minute:
 * the budget is the caller's business, not this client's.
 */
import { ApiError } from '../errors.js';
import { type FetchLike, HttpClient, staticAuth } from '../http.js';
import { checkBaseUrl, errorBody } from '../wire.js';
import { targetOf } from './observable.js';
import { errorBodySchema, objectResponseSchema, type WireObject } from './schemas.js';
import type { VirusTotalClientOptions, VtCallOptions, VtLookupResult, VtObservable } from './types.js';

export { urlId } from './observable.js';
export type * from './types.js';

const DEFAULT_BASE_URL = 'https://www.virustotal.com/api/v3';
/** GUI links always point at the public site, whatever the API base. */
const GUI_URL = 'https://www.virustotal.com/gui';
const DEFAULT_TIMEOUT_MS = 10_000;

/** The VirusTotal client. Stateless; share it. */
export class VirusTotalClient {
  private readonly baseUrl: string;
  private readonly http: HttpClient<undefined>;

  /** @throws TypeError when the base URL, the key or the timeout are unusable. */
  constructor(options: VirusTotalClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, 'VirusTotal base URL');
    if (typeof options.apiKey !== 'string' || options.apiKey === '')
      throw new TypeError('VirusTotal apiKey is required');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new TypeError('VirusTotal timeoutMs must be a positive number');
    const fetch: FetchLike = options.fetch ?? globalThis.fetch;
    const { apiKey } = options;
    this.http = new HttpClient({
      service: 'virustotal',
      fetch,
      timeoutMs,
      secrets: () => [apiKey],
      auth: staticAuth({ 'x-apikey': apiKey }),
      hooks: { errorDetail: errorLine },
    });
  }

  /**
   * `GET /files|ip_addresses|domains|urls/{id}`: the last analysis stats of an observable.
   * @throws RangeError when the value does not fit its type.
   */
  async lookup(observable: VtObservable, options: VtCallOptions = {}): Promise<VtLookupResult> {
    const target = targetOf(observable);
    const request = {
      method: 'GET',
      url: `${this.baseUrl}${target.path}`,
      headers: { Accept: 'application/json' },
      signal: options.signal,
    } as const;
    try {
      const { data } = await this.http.json(request, objectResponseSchema);
      return toResult(data, `${GUI_URL}/${target.kind}/${encodeURIComponent(data.id)}`);
    } catch (err) {
      // 404 NotFoundError: VirusTotal has never seen the observable. Another 404 is an error.
      if (err instanceof ApiError && err.status === 404 && err.detail?.split(':')[0] === 'NotFoundError') {
        return { found: false };
      }
      throw err;
    }
  }
}

/** `code: message` of an error body (`{error: {code, message}}`), starting with VirusTotal's error code. */
function errorLine(text: string): string | undefined {
  const error = errorBody(text, errorBodySchema)?.error;
  return error ? [error.code, error.message].filter(Boolean).join(': ') : undefined;
}

function toResult(data: WireObject, link: string): VtLookupResult {
  const { last_analysis_stats: stats, reputation, last_analysis_date: date } = data.attributes;
  return {
    found: true,
    stats: { ...stats },
    ...(reputation === null || reputation === undefined ? {} : { reputation }),
    ...(date === null || date === undefined ? {} : { lastAnalysisDate: new Date(date * 1000).toISOString() }),
    link,
  };
}
