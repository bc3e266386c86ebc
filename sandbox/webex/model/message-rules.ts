/**
 * The content rules Webex enforces on `POST /messages` and `PUT /messages/{id}`.
 * Pure functions: each throws a 400 `WebexApiError` when a rule is broken.
 */
import { badRequest } from './errors.js';
import { isRecord } from './guards.js';
import type { MessageAttachment } from './types.js';

/** Maximum size of `text` and of `markdown`, each, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 7439;
/** Maximum number of buttons (actions) on one card. */
export const MAX_CARD_ACTIONS = 5;
/** Maximum number of edits of one message. */
export const MAX_EDITS = 10;
/** The only attachment content type Webex accepts. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Size of a string in UTF-8 bytes, the unit of Webex's text limits. */
export function utf8ByteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** Rejects `text` or `markdown` longer than {@link MAX_TEXT_BYTES} bytes. */
export function assertTextWithinLimit(field: 'text' | 'markdown', value: string | undefined): void {
  if (value === undefined) return;
  const bytes = utf8ByteLength(value);
  if (bytes > MAX_TEXT_BYTES) {
    throw badRequest(`The ${field} of a message may not exceed ${MAX_TEXT_BYTES} bytes (got ${bytes}).`);
  }
}

/**
 * Counts the buttons of an Adaptive Card: its top-level `actions`, plus the
 * actions of the cards that `Action.ShowCard` buttons open (recursively).
 */
export function countCardActions(card: Record<string, unknown>): number {
  const actions = Array.isArray(card.actions) ? card.actions : [];
  let count = 0;
  for (const action of actions) {
    count += 1;
    if (isRecord(action) && action.type === 'Action.ShowCard' && isRecord(action.card)) {
      count += countCardActions(action.card);
    }
  }
  return count;
}

/** Rejects more than one attachment, non-card attachments and cards with too many buttons. */
export function assertAttachmentsAllowed(attachments: readonly MessageAttachment[] | undefined): void {
  if (!attachments || attachments.length === 0) return;
  if (attachments.length > 1) {
    throw badRequest('Only one attachment (card) is allowed per message.');
  }
  const [attachment] = attachments;
  if (attachment?.contentType !== ADAPTIVE_CARD_CONTENT_TYPE) {
    throw badRequest(`Unsupported attachment contentType; expected ${ADAPTIVE_CARD_CONTENT_TYPE}.`);
  }
  const actions = countCardActions(attachment.content);
  if (actions > MAX_CARD_ACTIONS) {
    throw badRequest(`A card may have at most ${MAX_CARD_ACTIONS} actions (got ${actions}).`);
  }
}

/** The content fields of a new message. */
export interface MessageContentInput {
  text?: string | undefined;
  markdown?: string | undefined;
  files?: readonly string[] | undefined;
  attachments?: readonly MessageAttachment[] | undefined;
}

/** Applies every content rule of `POST /messages`. */
export function assertValidNewContent(input: MessageContentInput): void {
  const hasText = Boolean(input.text) || Boolean(input.markdown);
  const hasFiles = (input.files?.length ?? 0) > 0;
  const hasAttachments = (input.attachments?.length ?? 0) > 0;
  if (!hasText && !hasFiles && !hasAttachments) {
    throw badRequest('A message needs text, markdown, files or attachments.');
  }
  assertTextWithinLimit('text', input.text);
  assertTextWithinLimit('markdown', input.markdown);
  if ((input.files?.length ?? 0) > 1) {
    throw badRequest('Only one file is allowed per message.');
  }
  assertAttachmentsAllowed(input.attachments);
}
