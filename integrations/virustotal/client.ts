/**
 * Client of the VirusTotal API v3 (api-contracts.md §7): one lookup per observable.
 *
 * 404 `NotFoundError` means VirusTotal has never seen the observable and reads `{ found: false }`.
 * Every other failure throws the shared errors of `../http.ts`; an `ApiError`'s `detail` starts with
 * VirusTotal's error code (`QuotaExceededError: …`). The public API allows 4 requests a minute:
 * the budget is the caller's business, not this client's.
 */
import { ApiError, type FetchLike, NetworkError, parseRetryAfter, parseWire, WireError } from '../http.js';
import { targetOf } from './observable.js';
import { errorBodySchema, objectResponseSchema, type WireObject } from './schemas.js';
import type { VirusTotalClientOptions, VtCallOptions, VtLookupResult, VtObservable } from './types.js';

export { urlId } from './observable.js';
export type * from './types.js';

const SERVICE = 'virustotal';
const DEFAULT_BASE_URL = 'https://www.virustotal.com/api/v3';
/** GUI links always point at the public site, whatever the API base. */
const GUI_URL = 'https://www.virustotal.com/gui';
const DEFAULT_TIMEOUT_MS = 10_000;
const DETAIL_MAX = 300;

interface Exchange {
  response: Response;
  text: string;
}

/** The VirusTotal client. Stateless; share it. */
export class VirusTotalClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;

  /** @throws TypeError when the base URL, the key or the timeout are unusable. */
  constructor(options: VirusTotalClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    if (typeof options.apiKey !== 'string' || options.apiKey === '')
      throw new TypeError('VirusTotal apiKey is required');
    this.apiKey = options.apiKey;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0)
      throw new TypeError('VirusTotal timeoutMs must be a positive number');
  }

  /**
   * `GET /files|ip_addresses|domains|urls/{id}`: the last analysis stats of an observable.
   * @throws RangeError when the value does not fit its type.
   */
  async lookup(observable: VtObservable, options: VtCallOptions = {}): Promise<VtLookupResult> {
    const target = targetOf(observable);
    const url = `${this.baseUrl}${target.path}`;
    const exchange = await this.exchange(url, options.signal);
    const { response, text } = exchange;
    const error = errorCode(text);
    if (response.status === 404 && error?.code === 'NotFoundError') return { found: false };
    if (!response.ok) throw this.apiError(url, exchange, error);
    const ctx = { service: SERVICE, method: 'GET', url } as const;
    const { data } = parseWire(objectResponseSchema, parseJson(text, ctx), ctx);
    return toResult(data, `${GUI_URL}/${target.kind}/${encodeURIComponent(data.id)}`);
  }

  private async exchange(url: string, signal?: AbortSignal): Promise<Exchange> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.fetch(url, {
        method: 'GET',
        headers: { 'x-apikey': this.apiKey, Accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return { response, text: await response.text() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError({ service: SERVICE, method: 'GET', url, cause: error, timedOut: timeout.aborted });
    }
  }

  private apiError(url: string, { response, text }: Exchange, error: VtErrorBody | undefined): ApiError {
    const raw = error ? [error.code, error.message].filter(Boolean).join(': ') : text;
    const scrubbed = raw.split(this.apiKey).join('[REDACTED]');
    return new ApiError({
      service: SERVICE,
      status: response.status,
      method: 'GET',
      url,
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      detail:
        scrubbed === '' ? undefined : scrubbed.length > DETAIL_MAX ? `${scrubbed.slice(0, DETAIL_MAX)}…` : scrubbed,
    });
  }
}

interface VtErrorBody {
  code: string;
  message?: string | undefined;
}

/** The `{error: {code, message}}` of a body, if it is one. */
function errorCode(text: string): VtErrorBody | undefined {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
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

function parseJson(text: string, ctx: { service: typeof SERVICE; method: string; url: string }): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WireError({ ...ctx, issues: [text ? '(root): body is not JSON' : '(root): empty body'] });
  }
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('VirusTotal base URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('VirusTotal base URL must be http(s)');
  if (url.username || url.password || url.search) {
    throw new TypeError('VirusTotal base URL must not carry credentials or a query; use apiKey');
  }
  return url.toString().replace(/\/+$/, '');
}
