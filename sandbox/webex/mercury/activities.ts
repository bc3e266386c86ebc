/**
 * The conversation activity Webex's socket carries for a simulator event, in the shape webex
 * 2.4.2's plugins read it: `plugin-messages` (verbs post/share/delete), `plugin-memberships`
 * (create/add/leave), `plugin-rooms` (create) and `plugin-attachment-actions` (cardAction).
 *
 * Those plugins take uuids from the activity and rebuild the REST ids from them
 * (`ciscospark://<cluster>/<TYPE>/<uuid>`), the cluster coming from the conversation URL through
 * the service catalog (`urn:TEAM:us-east-2_a:…` → `us`). So every id here is the uuid inside
 * the simulator's REST id, and every URL is on the conversation service the catalog advertises.
 */
import { randomUUID } from 'node:crypto';
import type { WebexEvent } from '../model/context.js';
import { uuidOf } from '../model/ids.js';
import type { SimStore } from '../model/store.js';
import type { WebexPerson, WebexRoom } from '../model/types.js';
import type { ActivityConversation, ActivityPerson, ConversationActivity } from './wire.js';

/** The conversation service under an origin, as the u2c catalog advertises it. */
export function conversationServiceUrl(origin: string): string {
  return `${origin}/conversation/api/v1`;
}

function person(p: WebexPerson, isModerator?: boolean): ActivityPerson {
  const uuid = uuidOf(p.id);
  const email = p.emails[0] ?? '';
  return {
    id: uuid,
    objectType: 'person',
    displayName: p.displayName,
    orgId: uuidOf(p.orgId),
    emailAddress: email,
    entryUUID: uuid,
    entryEmail: email,
    type: p.type === 'bot' ? 'ROBOT' : 'PERSON',
    ...(isModerator === undefined ? {} : { roomProperties: { isModerator } }),
  };
}

function conversation(room: WebexRoom, service: string): ActivityConversation {
  const uuid = uuidOf(room.id);
  const tags = [...(room.type === 'direct' ? ['ONE_ON_ONE'] : []), ...(room.isLocked ? ['LOCKED'] : [])];
  return { id: uuid, objectType: 'conversation', url: `${service}/conversations/${uuid}`, tags };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The activity for `event`, or `undefined` when Webex's socket carries nothing for it: message
 * edits (webex 2.4.2 maps no verb to `messages/updated`, and the real edit activity is not
 * documented) and the memberships of a new room's first members (inside the room's `create`).
 */
export function activityFor(store: SimStore, event: WebexEvent, origin: string): ConversationActivity | undefined {
  const service = conversationServiceUrl(origin);
  const actor = store.people.get(event.actorId);
  const room = store.rooms.get(str(event.data.roomId) || event.data.id);
  if (!actor || !room) return undefined;
  const common = (id: string, published: string) => ({
    id,
    objectType: 'activity' as const,
    url: `${service}/activities/${id}`,
    published,
    actor: person(actor),
    target: conversation(room, service),
  });

  if (event.resource === 'messages') {
    if (event.event === 'deleted') {
      return {
        ...common(randomUUID(), store.now()),
        verb: 'delete',
        object: { objectType: 'activity', id: uuidOf(event.data.id) },
      };
    }
    const message = store.messages.get(event.data.id)?.message;
    if (event.event !== 'created' || !message) return undefined;
    const mentions = message.mentionedPeople?.map((id) => ({ id: uuidOf(id), objectType: 'person' as const }));
    return {
      ...common(uuidOf(message.id), message.created),
      verb: message.files?.length ? 'share' : 'post',
      object: {
        objectType: message.files?.length ? 'content' : 'comment',
        displayName: message.text ?? '',
        ...(message.html ? { content: message.html } : {}),
        ...(mentions?.length ? { mentions: { items: mentions } } : {}),
      },
      ...(message.parentId ? { parent: { id: uuidOf(message.parentId), type: 'reply' as const } } : {}),
    };
  }

  if (event.resource === 'memberships') {
    const member = store.people.get(str(event.data.personId));
    if (!member || event.withNewRoom || event.event === 'updated') return undefined;
    return {
      ...common(randomUUID(), str(event.data.created) || store.now()),
      verb: event.event === 'created' ? 'add' : 'leave',
      object: person(member, event.data.isModerator === true),
    };
  }

  if (event.resource === 'rooms') {
    if (event.event !== 'created') return undefined;
    const participants = store.membersOf(room.id).flatMap((m) => {
      const p = store.people.get(m.personId);
      return p ? [person(p, m.isModerator)] : [];
    });
    const { target, ...rest } = common(randomUUID(), room.created);
    return {
      ...rest,
      verb: 'create',
      object: { ...target, displayName: room.title, participants: { items: participants } },
    };
  }

  // attachmentActions/created: the press, with the card message as its parent.
  return {
    ...common(uuidOf(event.data.id), str(event.data.created) || store.now()),
    verb: 'cardAction',
    object: {
      objectType: str(event.data.type) || 'submit',
      inputs: store.attachmentActions.get(event.data.id)?.inputs ?? {},
    },
    parent: { id: uuidOf(str(event.data.messageId)), type: 'reply' },
  };
}
