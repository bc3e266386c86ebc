/**
 * The few Webex REST calls the framework's SDK (2.4.2) lacks, notably editing a message.
 * Plain fetch keeps 429/Retry-After handling in our hands.
 */
import { ApiError, bodyExcerpt, type FetchLike, NetworkError, parseRetryAfter, parseWire } from '../http.js';
import {
  type CardAttachment,
  membershipPageSchema,
  messageSchema,
  type WebexMembership,
  type WebexMessage,
} from './schemas.js';

/** Pages of memberships read at most, 1,000 each: a space with more members is not an alert space. */
const MAX_MEMBERSHIP_PAGES = 20;

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

  /** Edits a message in place (`PUT /messages/{id}`); with `attachments` it replaces the card. */
  async editMessage(
    messageId: string,
    body: { roomId: string; markdown: string; attachments?: CardAttachment[] },
  ): Promise<WebexMessage> {
    const res = await this.request('PUT', `messages/${encodeURIComponent(messageId)}`, body);
    return parseWire(messageSchema, await res.json(), this.ctx('PUT', 'messages/{id}'));
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

  /** Everyone in a space (`GET /memberships?roomId=`), following `Link: rel="next"` pages. */
  async listRoomMembers(roomId: string): Promise<WebexMembership[]> {
    const members: WebexMembership[] = [];
    let next: string | undefined = `memberships?roomId=${encodeURIComponent(roomId)}&max=1000`;
    for (let page = 0; next !== undefined && page < MAX_MEMBERSHIP_PAGES; page++) {
      const res = await this.request('GET', next);
      members.push(...parseWire(membershipPageSchema, await res.json(), this.ctx('GET', 'memberships')).items);
      next = nextPage(res.headers.get('link'), this.opts.apiUrl);
    }
    return members;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.opts.apiUrl}/${path}`;
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

  private ctx(method: string, path: string) {
    return { service: 'webex' as const, method, url: `${this.opts.apiUrl}/${path}` };
  }
}

/** The `rel="next"` target of a Link header, as a path under the API URL (never another origin). */
function nextPage(link: string | null, apiUrl: string): string | undefined {
  const target = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1];
  if (!target || !URL.canParse(target)) return undefined;
  const url = new URL(target);
  return url.origin === new URL(apiUrl).origin ? url.toString() : undefined;
}
