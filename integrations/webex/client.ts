/**
 * The Webex REST calls the bot makes besides the framework's SDK (2.4.2): deleting a replaced
 * card, and listing the alert space's members (the operators when BOT_OPERATORS is empty).
 * Messages are never edited: Webex refuses to edit a message that carries a card (Messages
 * OpenAPI, `PUT /messages/{id}`).
 */
import { ApiError } from '../errors.js';
import { type FetchLike, HttpClient, staticAuth } from '../http.js';
import { parseWire } from '../wire.js';
import { membershipPageSchema, type WebexMembership } from './schemas.js';

export interface WebexRestOptions {
  apiUrl: string;
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Pages of memberships read at most, 1,000 each: a space with more members is not an alert space. */
const MAX_MEMBERSHIP_PAGES = 20;

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

  /** Everyone in a space (`GET /memberships?roomId=`), following `Link: rel="next"` pages. */
  async listRoomMembers(roomId: string): Promise<WebexMembership[]> {
    const members: WebexMembership[] = [];
    let url: string | undefined = `${this.opts.apiUrl}/memberships?roomId=${encodeURIComponent(roomId)}&max=1000`;
    for (let page = 0; url !== undefined && page < MAX_MEMBERSHIP_PAGES; page++) {
      const answer = await this.http.request({ method: 'GET', url });
      const context = { service: 'webex' as const, method: 'GET', url: `${this.opts.apiUrl}/memberships` };
      members.push(...parseWire(membershipPageSchema, parseJson(answer.text), context).items);
      url = nextPage(answer.headers.get('link'), this.opts.apiUrl);
    }
    return members;
  }
}

/** The `rel="next"` target of a Link header, only on the API's own origin (never another host). */
function nextPage(link: string | null, apiUrl: string): string | undefined {
  const target = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1];
  if (!target || !URL.canParse(target)) return undefined;
  const url = new URL(target);
  return url.origin === new URL(apiUrl).origin ? url.toString() : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
