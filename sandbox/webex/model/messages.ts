/**
 * Messages: posting (by the API or typed by a user in a client), reading,
 * editing and deleting, with the rules Webex enforces.
 */
import { allDeliveries, messageEvent, type Published, type SimContext } from './context.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { webexId } from './ids.js';
import { assertTextWithinLimit, assertValidNewContent, MAX_EDITS } from './message-rules.js';
import { type MentionResolver, mentionHtml, renderMarkdown } from './render.js';
import { openDirectRoom } from './rooms.js';
import type { Delivery, MessageAttachment, WebexMessage, WebexRoom } from './types.js';

/** The body of `POST /messages`. */
export interface NewMessageInput {
  roomId?: string | undefined;
  toPersonId?: string | undefined;
  toPersonEmail?: string | undefined;
  text?: string | undefined;
  markdown?: string | undefined;
  parentId?: string | undefined;
  files?: string[] | undefined;
  attachments?: MessageAttachment[] | undefined;
}

/** A message as a user types it in a Webex client. */
export interface TypedMessageInput {
  roomId: string;
  text: string;
  /** Start the message with an @mention of the bot, as a client does when you pick it. */
  mentionBot?: boolean | undefined;
  parentId?: string | undefined;
}

/** The body of `PUT /messages/{id}`. */
/** What an edit may carry (the Messages OpenAPI's `PUT /messages/{id}` body). */
export interface EditMessageInput {
  roomId?: string | undefined;
  text?: string | undefined;
  markdown?: string | undefined;
}

type MessageContent = Pick<WebexMessage, 'text' | 'markdown' | 'html' | 'mentionedPeople' | 'mentionedGroups'>;

function mentionResolver(ctx: SimContext): MentionResolver {
  return (kind, value) => {
    const person = kind === 'personId' ? ctx.store.people.get(value) : ctx.store.personByEmail(value);
    return person ? { id: person.id, displayName: person.displayName } : undefined;
  };
}

/** `text`, `markdown`, `html` and mentions, derived from what the sender gave. */
function contentOf(ctx: SimContext, text: string | undefined, markdown: string | undefined): MessageContent {
  if (markdown === undefined || markdown === '') return { text: text ?? '' };
  const rendered = renderMarkdown(markdown, mentionResolver(ctx));
  const content: MessageContent = { text: text ?? rendered.text, markdown, html: rendered.html };
  if (rendered.mentionedPeople.length) content.mentionedPeople = rendered.mentionedPeople;
  if (rendered.mentionedGroups.length) content.mentionedGroups = rendered.mentionedGroups;
  return content;
}

function assertValidParent(ctx: SimContext, room: WebexRoom, parentId: string | undefined): void {
  if (parentId === undefined) return;
  const parent = ctx.store.messages.get(parentId)?.message;
  if (!parent || parent.roomId !== room.id) throw badRequest('The parent message was not found in this room.');
  if (parent.parentId) {
    throw badRequest('A reply cannot be the parent of another reply; use the root message as parentId.');
  }
}

/** Stores a new message and announces `messages/created`. */
function storeMessage(
  ctx: SimContext,
  senderId: string,
  room: WebexRoom,
  fields: MessageContent & Pick<WebexMessage, 'parentId' | 'files' | 'attachments'>,
): Published<WebexMessage> {
  const sender = ctx.store.requirePerson(senderId);
  const message: WebexMessage = {
    id: webexId('MESSAGE'),
    roomId: room.id,
    roomType: room.type,
    ...(fields.parentId ? { parentId: fields.parentId } : {}),
    text: fields.text,
    ...(fields.markdown !== undefined ? { markdown: fields.markdown } : {}),
    ...(fields.html !== undefined ? { html: fields.html } : {}),
    ...(fields.files?.length ? { files: fields.files } : {}),
    personId: sender.id,
    personEmail: sender.emails[0] ?? '',
    ...(fields.mentionedPeople?.length ? { mentionedPeople: fields.mentionedPeople } : {}),
    ...(fields.mentionedGroups?.length ? { mentionedGroups: fields.mentionedGroups } : {}),
    ...(fields.attachments?.length ? { attachments: fields.attachments } : {}),
    created: ctx.store.now(),
  };
  ctx.store.messages.set(message.id, { message, editCount: 0 });
  room.lastActivity = message.created;
  ctx.store.changed({ kind: 'message', action: 'created', id: message.id, roomId: room.id });
  return { value: message, deliveries: ctx.publish(messageEvent(ctx, 'created', senderId, message)) };
}

/** `POST /messages` on behalf of `senderId`, with every Webex rule applied. */
export function postMessage(ctx: SimContext, senderId: string, input: NewMessageInput): Published<WebexMessage> {
  const destinations = [input.roomId, input.toPersonId, input.toPersonEmail].filter((d) => d !== undefined);
  if (destinations.length !== 1) {
    throw badRequest('Exactly one of roomId, toPersonId or toPersonEmail is required.');
  }
  assertValidNewContent(input);
  let room: WebexRoom;
  let roomDeliveries: Promise<Delivery[]> = Promise.resolve([]);
  if (input.roomId !== undefined) {
    room = ctx.store.requireRoomOfMember(input.roomId, senderId);
  } else {
    const recipient = input.toPersonId
      ? ctx.store.people.get(input.toPersonId)
      : ctx.store.personByEmail(input.toPersonEmail ?? '');
    if (!recipient) throw notFound('Could not find the person to send the message to.');
    if (recipient.id === senderId) throw badRequest('You cannot send a direct message to yourself.');
    const opened = openDirectRoom(ctx, senderId, recipient.id);
    room = opened.value;
    roomDeliveries = opened.deliveries;
  }
  assertValidParent(ctx, room, input.parentId);
  const posted = storeMessage(ctx, senderId, room, {
    ...contentOf(ctx, input.text, input.markdown),
    parentId: input.parentId,
    files: input.files,
    attachments: input.attachments,
  });
  return { value: posted.value, deliveries: allDeliveries([roomDeliveries, posted.deliveries]) };
}

/**
 * A message typed by a person in a Webex client. With `mentionBot`, the text
 * starts with the bot's display name, `html` carries a `<spark-mention>` of the
 * bot and `mentionedPeople` lists it, exactly as Webex stores such a message.
 */
export function postTypedMessage(ctx: SimContext, senderId: string, input: TypedMessageInput): Published<WebexMessage> {
  const room = ctx.store.requireRoomOfMember(input.roomId, senderId);
  if (!input.text.trim() && !input.mentionBot) throw badRequest('A typed message needs text.');
  const text = input.mentionBot ? `${ctx.bot.displayName} ${input.text}`.trim() : input.text;
  assertTextWithinLimit('text', text);
  assertValidParent(ctx, room, input.parentId);
  const content: MessageContent = input.mentionBot
    ? { text, html: mentionHtml(ctx.bot, input.text.trim()), mentionedPeople: [ctx.bot.id] }
    : { text };
  return storeMessage(ctx, senderId, room, { ...content, parentId: input.parentId });
}

/** `GET /messages/{id}`: any message of a room the caller is in. */
export function getMessage(ctx: SimContext, callerId: string, messageId: string): WebexMessage {
  const message = ctx.store.messages.get(messageId)?.message;
  if (!message || !ctx.store.membershipOf(message.roomId, callerId)) {
    throw notFound('Could not find a message with provided ID.');
  }
  return message;
}

/** The filters of `GET /messages`. */
export interface ListMessagesQuery {
  roomId?: string | undefined;
  parentId?: string | undefined;
  mentionedPeople?: string | undefined;
  before?: string | undefined;
  beforeMessage?: string | undefined;
}

/**
 * `GET /messages`: a room's messages, newest first. Like Webex, a bot listing a
 * group room must ask only for messages that mention it (`mentionedPeople=me`).
 */
export function listMessages(ctx: SimContext, callerId: string, query: ListMessagesQuery): WebexMessage[] {
  if (!query.roomId) throw badRequest('roomId is required to list messages.');
  const room = ctx.store.requireRoomOfMember(query.roomId, callerId);
  const caller = ctx.store.requirePerson(callerId);
  const mentioned = query.mentionedPeople
    ?.split(',')
    .map((id) => (id === 'me' ? callerId : id))
    .filter(Boolean);
  if (caller.type === 'bot' && room.type === 'group' && !mentioned?.includes(callerId)) {
    throw forbidden('Bots can only list messages that mention them in group rooms (mentionedPeople=me).');
  }
  let messages = [...ctx.store.messages.values()].map((s) => s.message).filter((m) => m.roomId === room.id);
  if (query.parentId) messages = messages.filter((m) => m.parentId === query.parentId);
  if (mentioned) messages = messages.filter((m) => mentioned.some((id) => m.mentionedPeople?.includes(id)));
  if (query.beforeMessage) {
    const index = messages.findIndex((m) => m.id === query.beforeMessage);
    if (index < 0) throw badRequest('beforeMessage is not a message of this room.');
    messages = messages.slice(0, index);
  }
  if (query.before) {
    const before = query.before;
    messages = messages.filter((m) => m.created < before);
  }
  return messages.reverse();
}

/**
 * `PUT /messages/{id}`: replaces the text of one's own message. Needs `roomId`
 * and `text` or `markdown`; at most {@link MAX_EDITS} edits; messages with files
 * or attachments (cards) cannot be edited (400), as the Messages OpenAPI says.
 */
export function editMessage(
  ctx: SimContext,
  editorId: string,
  messageId: string,
  input: EditMessageInput,
): Published<WebexMessage> {
  const stored = ctx.store.messages.get(messageId);
  if (!stored || !ctx.store.membershipOf(stored.message.roomId, editorId)) {
    throw notFound('Could not find a message with provided ID.');
  }
  const current = stored.message;
  if (current.personId !== editorId) throw forbidden('Only the author of a message can edit it.');
  if (!input.roomId) throw badRequest('roomId is required to edit a message.');
  if (input.roomId !== current.roomId) throw badRequest('roomId does not match the room of the message.');
  if (!input.text && !input.markdown) throw badRequest('text or markdown is required to edit a message.');
  assertTextWithinLimit('text', input.text);
  assertTextWithinLimit('markdown', input.markdown);
  if (current.files?.length) throw badRequest('Messages with files cannot be edited.');
  if (current.attachments?.length) throw badRequest('Messages with attachments (cards) cannot be edited.');
  if (stored.editCount >= MAX_EDITS) {
    throw badRequest(`A message can be edited at most ${MAX_EDITS} times.`);
  }
  const updated: WebexMessage = {
    id: current.id,
    roomId: current.roomId,
    roomType: current.roomType,
    ...(current.parentId ? { parentId: current.parentId } : {}),
    ...contentOf(ctx, input.text, input.markdown),
    personId: current.personId,
    personEmail: current.personEmail,
    created: current.created,
    updated: ctx.store.now(),
  };
  stored.message = updated;
  stored.editCount += 1;
  ctx.store.changed({ kind: 'message', action: 'updated', id: updated.id, roomId: updated.roomId });
  return { value: updated, deliveries: ctx.publish(messageEvent(ctx, 'updated', editorId, updated)) };
}

/** `DELETE /messages/{id}`: the author removes their message; emits `messages/deleted`. */
export function deleteMessage(ctx: SimContext, actorId: string, messageId: string): Published<WebexMessage> {
  const message = getMessage(ctx, actorId, messageId);
  if (message.personId !== actorId) throw forbidden('Only the author of a message can delete it.');
  const event = messageEvent(ctx, 'deleted', actorId, message);
  ctx.store.messages.delete(message.id);
  ctx.store.changed({ kind: 'message', action: 'deleted', id: message.id, roomId: message.roomId });
  return { value: message, deliveries: ctx.publish(event) };
}
