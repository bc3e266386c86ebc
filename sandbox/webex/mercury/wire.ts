/**
 * Mercury (Webex's event websocket) wire shapes, as webex 2.4.2's `internal-plugin-mercury`
 * reads and writes them (`socket-base.js`, `mercury.js`).
 *
 * Client → server, all JSON text frames:
 * - `{id, type: 'authorization', data: {token: 'Bearer <token>'}, trackingId}` once, right after open
 * - `{id, type: 'ping'}` every `pingInterval` (15 s) once authorized
 * - `{messageId, type: 'ack'}` for every frame received (pongs included)
 *
 * Server → client:
 * - `{id, data: {eventType: 'mercury.buffer_state', …}}` (no `type`): authorization accepted
 * - `{id, type: 'pong'}` with the ping's id
 * - `{id, data: {eventType: 'conversation.activity', activity}, sequenceNumber, …}`: an event
 */

/** A person as a conversation activity names them (`actor`, or a participant). */
export interface ActivityPerson {
  id: string;
  objectType: 'person';
  displayName: string;
  orgId: string;
  emailAddress: string;
  entryUUID: string;
  entryEmail: string;
  type: 'PERSON' | 'ROBOT';
  roomProperties?: { isModerator: boolean };
}

/** A space as an activity's `target` (or a `create` activity's `object`). */
export interface ActivityConversation {
  id: string;
  objectType: 'conversation';
  url: string;
  tags: string[];
  displayName?: string;
  participants?: { items: ActivityPerson[] };
}

/** What an activity acts on; its fields depend on the verb. */
export interface ActivityObject {
  objectType: string;
  id?: string;
  displayName?: string;
  content?: string;
  inputs?: Record<string, unknown>;
  mentions?: { items: Array<{ id: string; objectType: 'person' }> };
}

/** A conversation activity. Sent unencrypted (no `encryptionKeyUrl`): see the simulator's README. */
export interface ConversationActivity {
  id: string;
  objectType: 'activity';
  url: string;
  published: string;
  verb: 'post' | 'share' | 'delete' | 'add' | 'leave' | 'create' | 'cardAction';
  actor: ActivityPerson;
  object: ActivityObject | ActivityPerson | ActivityConversation;
  target?: ActivityConversation;
  parent?: { id: string; type: 'reply' };
}

/** Fields every server frame but a pong carries. */
interface FrameCommon {
  id: string;
  timestamp: number;
  trackingId: string;
  alertType: 'full' | 'none';
  headers: Record<string, string>;
  sequenceNumber: number;
  filterMessage: boolean;
}

/** `mercury.buffer_state`: the first frame after a good authorization. */
export interface BufferStateFrame extends FrameCommon {
  data: { eventType: 'mercury.buffer_state'; bufferState: { conversation: string; locus: string } };
}

/** `conversation.activity`: one event. */
export interface ActivityFrame extends FrameCommon {
  data: { eventType: 'conversation.activity'; activity: ConversationActivity };
}

/** The answer to a ping. */
export interface PongFrame {
  id: string;
  type: 'pong';
}

/** What a client may send. Anything else is ignored, as unknown frames are by Mercury clients. */
export type ClientFrame =
  | { type: 'authorization'; id: string; data: { token: string } }
  | { type: 'ping'; id: string }
  | { type: 'ack'; messageId: string };

/** Parses one client text frame; `undefined` when it is not a frame the server understands. */
export function parseClientFrame(text: string): ClientFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  const data = frame.data;
  if (frame.type === 'authorization' && typeof frame.id === 'string' && typeof data === 'object' && data !== null) {
    const token = (data as Record<string, unknown>).token;
    return typeof token === 'string' ? { type: 'authorization', id: frame.id, data: { token } } : undefined;
  }
  if (frame.type === 'ping' && typeof frame.id === 'string') return { type: 'ping', id: frame.id };
  if (frame.type === 'ack' && typeof frame.messageId === 'string') return { type: 'ack', messageId: frame.messageId };
  return undefined;
}

/** WebSocket close codes the simulator uses, with what webex 2.4.2 does on each (`mercury.js` `_onclose`). */
export const CLOSE = {
  /** Normal; with reason `Done` the SDK does not reconnect ("will not reconnect"). */
  normal: 1000,
  /** Going away: the SDK reconnects. */
  goingAway: 1001,
  /** Server error: the SDK reconnects. */
  serverError: 1011,
  /** Before authorization completed: the SDK maps it to NotAuthorized and tries again after a backoff. */
  notAuthorized: 4401,
  /** Before authorization completed: Forbidden, the SDK stops trying ("unrecoverable"). */
  forbidden: 4403,
} as const;
