/**
 * Wire shapes of the Webex REST API as the simulator serves them, plus the
 * simulator's own records (calls, deliveries, change events).
 *
 * Field names and optionality follow the published Webex API: fields a real
 * response omits when empty (markdown, html, files, attachments, parentId…)
 * are omitted here too.
 */

/** Room kinds in Webex: a space with many people, or a 1:1 conversation. */
export type RoomType = 'group' | 'direct';

/** `type` of a Webex person. */
export type PersonType = 'person' | 'bot';

/** A person or bot, as `GET /people/{id}` returns it. */
export interface WebexPerson {
  id: string;
  emails: string[];
  displayName: string;
  nickName: string;
  firstName: string;
  lastName: string;
  orgId: string;
  type: PersonType;
  created: string;
}

/** A space, as `GET /rooms/{id}` returns it. */
export interface WebexRoom {
  id: string;
  title: string;
  type: RoomType;
  isLocked: boolean;
  creatorId: string;
  ownerId: string;
  lastActivity: string;
  created: string;
}

/** A person's membership of a room, as `GET /memberships/{id}` returns it. */
export interface WebexMembership {
  id: string;
  roomId: string;
  roomType: RoomType;
  personId: string;
  personEmail: string;
  personDisplayName: string;
  personOrgId: string;
  isModerator: boolean;
  isMonitor: boolean;
  isRoomHidden: boolean;
  created: string;
}

/** One entry of a message's `attachments` (in practice: one Adaptive Card). */
export interface MessageAttachment {
  contentType: string;
  content: Record<string, unknown>;
}

/** A message, as `GET /messages/{id}` and `POST /messages` return it. */
export interface WebexMessage {
  id: string;
  roomId: string;
  roomType: RoomType;
  parentId?: string;
  text: string;
  markdown?: string;
  html?: string;
  files?: string[];
  personId: string;
  personEmail: string;
  mentionedPeople?: string[];
  mentionedGroups?: string[];
  attachments?: MessageAttachment[];
  created: string;
  updated?: string;
}

/** A card submission, as `GET /attachment/actions/{id}` returns it. */
export interface WebexAttachmentAction {
  id: string;
  type: 'submit';
  messageId: string;
  inputs: Record<string, unknown>;
  personId: string;
  roomId: string;
  created: string;
}

/** Webhook resources the simulator knows. */
export type WebhookResource = 'all' | 'messages' | 'memberships' | 'rooms' | 'attachmentActions';

/** Webhook events the simulator knows. */
export type WebhookEvent = 'all' | 'created' | 'updated' | 'deleted';

/** A webhook registration, as `POST /webhooks` echoes it. */
export interface WebexWebhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: WebhookResource;
  event: WebhookEvent;
  filter?: string;
  secret?: string;
  status: 'active' | 'inactive';
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: 'creator';
  created: string;
}

/** The JSON body Webex POSTs to a webhook's `targetUrl`. */
export interface WebhookEnvelope {
  id: string;
  name: string;
  targetUrl: string;
  resource: Exclude<WebhookResource, 'all'>;
  event: Exclude<WebhookEvent, 'all'>;
  filter?: string;
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: 'creator';
  status: 'active';
  created: string;
  actorId: string;
  data: Record<string, unknown>;
}

/** One webhook POST the simulator made, and how the target answered. */
export interface Delivery {
  seq: number;
  webhookId: string;
  targetUrl: string;
  resource: string;
  event: string;
  /** `data.id` of the envelope (message, membership or attachment action id). */
  dataId: string;
  /** HTTP status the target answered, or `null` when it could not be reached. */
  status: number | null;
  /** Why the target could not be reached. */
  error?: string;
  /** Whether the POST carried an `X-Spark-Signature` header. */
  signed: boolean;
  /** True for `deliverRaw` sends (forged, unsigned or hand-made bodies). */
  raw: boolean;
  body: string;
  at: string;
}

/** How a request authenticated (the token itself is never kept). */
export type AuthKind = 'bot' | 'person' | 'invalid' | 'none';

/** One request to the simulated API (`/v1/*`, `/u2c/*`, `/wdm/*`, `/metrics/*`; `/_sim/*` is not recorded). */
export interface ApiCall {
  seq: number;
  at: string;
  method: string;
  /** Path as sent, without the query string, e.g. `/v1/people/`. */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  auth: AuthKind;
  /** The authenticated person (or bot) id, when `auth` is `bot` or `person`. */
  personId?: string;
  /** Set when an injected fault produced the answer. */
  fault?: 'rateLimit' | 'fail';
}

/** Whether `PUT /messages/{id}` may edit a message that carries a card. */

/** What changed in the simulator; emitted as `'change'` on `events`. */
export interface SimChange {
  kind:
    | 'person'
    | 'room'
    | 'membership'
    | 'message'
    | 'attachmentAction'
    | 'webhook'
    | 'delivery'
    | 'call'
    | 'settings'
    | 'device'
    | 'socket'
    | 'reset';
  action: 'created' | 'updated' | 'deleted' | 'reset';
  id?: string;
  roomId?: string;
}
