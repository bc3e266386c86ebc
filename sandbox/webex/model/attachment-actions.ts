/** Card submissions (`/attachment/actions`) and the `attachmentActions` event. */
import type { Published, SimContext } from './context.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { webexId } from './ids.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from './message-rules.js';
import type { WebexAttachmentAction } from './types.js';

/** What a client sends when a person presses an `Action.Submit` button. */
export interface NewAttachmentActionInput {
  messageId: string;
  inputs: Record<string, unknown>;
  type?: string | undefined;
}

/**
 * A person submits a card. Emits `attachmentActions/created`, which only the
 * card's author receives, and only on a webhook whose resource is
 * `attachmentActions` (the `all` firehose does not carry it).
 */
export function submitAttachmentAction(
  ctx: SimContext,
  personId: string,
  input: NewAttachmentActionInput,
): Published<WebexAttachmentAction> {
  const person = ctx.store.requirePerson(personId);
  if (person.type === 'bot') throw forbidden('Only people can submit cards.');
  if ((input.type ?? 'submit') !== 'submit') throw badRequest('The only attachment action type is "submit".');
  const card = ctx.store.messages.get(input.messageId)?.message;
  if (!card || !ctx.store.membershipOf(card.roomId, personId)) {
    throw notFound('Could not find a message with provided ID.');
  }
  if (!card.attachments?.some((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)) {
    throw badRequest('The message has no card to submit.');
  }
  const action: WebexAttachmentAction = {
    id: webexId('ATTACHMENT_ACTION'),
    type: 'submit',
    messageId: card.id,
    inputs: input.inputs,
    personId,
    roomId: card.roomId,
    created: ctx.store.now(),
  };
  ctx.store.attachmentActions.set(action.id, action);
  ctx.store.changed({ kind: 'attachmentAction', action: 'created', id: action.id, roomId: action.roomId });
  const deliveries = ctx.publish({
    resource: 'attachmentActions',
    event: 'created',
    actorId: personId,
    data: {
      id: action.id,
      type: action.type,
      messageId: action.messageId,
      personId: action.personId,
      roomId: action.roomId,
      created: action.created,
    },
    audience: [card.personId],
    filterable: { roomId: action.roomId, personId, messageId: action.messageId },
  });
  return { value: action, deliveries };
}

/** `GET /attachment/actions/{id}`: readable by the card's author and the submitter. */
export function getAttachmentAction(ctx: SimContext, callerId: string, id: string): WebexAttachmentAction {
  const action = ctx.store.attachmentActions.get(id);
  const cardAuthor = action ? ctx.store.messages.get(action.messageId)?.message.personId : undefined;
  if (!action || (action.personId !== callerId && cardAuthor !== callerId)) {
    throw notFound('Could not find an attachment action with provided ID.');
  }
  return action;
}
