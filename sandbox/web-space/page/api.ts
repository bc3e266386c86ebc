/**
 * Calls the page makes. Reads go to the web space (`/api/*`) and to the Webex simulator's
 * read-only control routes (`/_sim/*`, proxied); everything a person does goes through the
 * Webex REST API (`/v1/*`, proxied) with that person's simulated token, exactly as a client would.
 */
import type { WebexMessage } from '../../webex/index.js';
import type { SpaceInfo, WorldView } from '../types.js';

/** A failed call, with Webex's own explanation when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { cache: 'no-store', ...init });
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new ApiError(response.status, typeof message === 'string' ? message : `HTTP ${response.status}`);
  }
  return body as T;
}

function asPerson(token: string, body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** The people, rooms and bot of the demo. */
export function fetchSpace(): Promise<SpaceInfo> {
  return call<SpaceInfo>('/api/space');
}

/** Every message of a room, oldest first. */
export async function fetchMessages(roomId: string): Promise<WebexMessage[]> {
  const { items } = await call<{ items: WebexMessage[] }>(`/_sim/rooms/${encodeURIComponent(roomId)}/messages`);
  return items;
}

/** The "World the bot changes" panels. */
export function fetchWorld(): Promise<WorldView> {
  return call<WorldView>('/api/world');
}

/** `POST /v1/messages` as a person. */
export function postMessage(
  token: string,
  message: { roomId: string; markdown: string; parentId?: string | undefined },
): Promise<WebexMessage> {
  return call<WebexMessage>('/v1/messages', asPerson(token, message));
}

/** `POST /v1/attachment/actions` as a person: what a Webex client sends when a card button is pressed. */
export function submitCard(token: string, messageId: string, inputs: Record<string, unknown>): Promise<unknown> {
  return call('/v1/attachment/actions', asPerson(token, { type: 'submit', messageId, inputs }));
}
