/**
 * The Webex REST call the bot makes besides the framework's SDK (2.4.2): deleting a replaced card.
 * Plain fetch keeps 429/Retry-After handling in our hands. Messages are never edited: Webex refuses
 * to edit a message that carries a card (Messages OpenAPI, `PUT /messages/{id}`).
 */
import { ApiError, bodyExcerpt, type FetchLike, NetworkError, parseRetryAfter } from '../http.js';

export interface WebexRestOptions {
  apiUrl: string;
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export class WebexRestClient {
  private readonly fetch: FetchLike;

  constructor(private readonly opts: WebexRestOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /** Deletes a message; a message that is already gone counts as deleted. */
  async deleteMessage(messageId: string): Promise<void> {
    try {
      await this.request('DELETE', `messages/${encodeURIComponent(messageId)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return;
      throw err;
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.opts.apiUrl}/${path}`;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      throw new NetworkError({ service: 'webex', method, url, cause, timedOut });
    }
    if (!res.ok) {
      throw new ApiError({
        service: 'webex',
        status: res.status,
        method,
        url,
        retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
        detail: await bodyExcerpt(res),
      });
    }
    return res;
  }
}
