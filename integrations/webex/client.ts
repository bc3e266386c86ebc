/**
 * The Webex REST call the bot makes besides the framework's SDK (2.4.2): deleting a replaced card.
 * Messages are never edited: Webex refuses to edit a message that carries a card (Messages
 * OpenAPI, `PUT /messages/{id}`).
 */
import { ApiError } from '../errors.js';
import { type FetchLike, HttpClient, staticAuth } from '../http.js';

export interface WebexRestOptions {
  apiUrl: string;
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export class WebexRestClient {
  private readonly http: HttpClient<undefined>;

  constructor(private readonly opts: WebexRestOptions) {
    this.http = new HttpClient({
      service: 'webex',
      fetch: opts.fetch ?? globalThis.fetch,
      timeoutMs: opts.timeoutMs ?? 15_000,
      secrets: () => [opts.token],
      auth: staticAuth({ Authorization: `Bearer ${opts.token}` }),
    });
  }

  /** Deletes a message; a message that is already gone counts as deleted. */
  async deleteMessage(messageId: string): Promise<void> {
    try {
      await this.http.request({
        method: 'DELETE',
        url: `${this.opts.apiUrl}/messages/${encodeURIComponent(messageId)}`,
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return;
      throw err;
    }
  }
}
