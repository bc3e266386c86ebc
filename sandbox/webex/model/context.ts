/**
 * What every model operation works with: the store, the bot's identity, and
 * `publish`, which hands a Webex event to the webhook dispatcher.
 */
import type { SimStore } from './store.js';
import type { Delivery, WebexMessage, WebexPerson } from './types.js';

/** A Webex event, before it is matched against webhooks. */
export interface WebexEvent {
  resource: 'messages' | 'memberships' | 'rooms' | 'attachmentActions';
  event: 'created' | 'updated' | 'deleted';
  /** The person whose action caused the event. */
  actorId: string;
  /** The envelope's `data`: a pointer (`id`) plus a few routing fields, never content. */
  data: { id: string } & Record<string, unknown>;
  /** People whose webhooks may receive this event. */
  audience: readonly string[];
  /** Values a webhook `filter` (`roomId=…&personId=…`) is matched against. */
  filterable: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Set on the `memberships/created` events of a new room's first members: webhooks get them one
   * by one, but Webex's socket carries them inside the room's single `create` activity.
   */
  withNewRoom?: boolean;
}

/** Sends an event to every matching webhook; resolves once all targets answered. */
export type Publish = (event: WebexEvent) => Promise<Delivery[]>;

/** Shared dependencies of the model operations. */
export interface SimContext {
  store: SimStore;
  bot: WebexPerson;
  publish: Publish;
}

/** The result of an operation that emits webhook events. */
export interface Published<T> {
  value: T;
  /** Settles when every webhook target answered (or failed); never rejects. */
  deliveries: Promise<Delivery[]>;
}

/** Waits for several deliveries promises and flattens them. */
export async function allDeliveries(promises: readonly Promise<Delivery[]>[]): Promise<Delivery[]> {
  return (await Promise.all(promises)).flat();
}

/**
 * Who may receive a message event. Webex tells a bot in a group room only about
 * messages that @mention it (and its own); in direct rooms, and for people, it
 * tells every member about every message.
 */
export function messageAudience(ctx: SimContext, message: WebexMessage): string[] {
  return ctx.store.membersOf(message.roomId).flatMap((m) => {
    const person = ctx.store.people.get(m.personId);
    if (!person) return [];
    if (person.type !== 'bot' || message.roomType === 'direct') return [person.id];
    const mentioned = message.mentionedPeople?.includes(person.id) ?? false;
    return mentioned || message.personId === person.id ? [person.id] : [];
  });
}

/** The envelope `data` and filter values of a message event. */
export function messageEvent(
  ctx: SimContext,
  event: 'created' | 'updated' | 'deleted',
  actorId: string,
  message: WebexMessage,
): WebexEvent {
  const data: WebexEvent['data'] = {
    id: message.id,
    roomId: message.roomId,
    roomType: message.roomType,
    personId: message.personId,
    personEmail: message.personEmail,
    created: message.created,
  };
  if (message.mentionedPeople?.length) data.mentionedPeople = message.mentionedPeople;
  if (message.files?.length) data.files = message.files;
  if (message.parentId) data.parentId = message.parentId;
  return {
    resource: 'messages',
    event,
    actorId,
    data,
    audience: messageAudience(ctx, message),
    filterable: {
      roomId: message.roomId,
      roomType: message.roomType,
      personId: message.personId,
      personEmail: message.personEmail,
      mentionedPeople: message.mentionedPeople ?? [],
    },
  };
}
