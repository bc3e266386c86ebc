/**
 * The simulator's state: people, rooms, memberships, messages, card
 * submissions, webhooks, and the record of calls and deliveries.
 *
 * Only plain data and lookups live here; the rules are in the operation
 * modules next to it. Every mutation goes through {@link SimStore.changed},
 * which emits a `'change'` event (the local web space listens to it).
 */
import { EventEmitter } from 'node:events';
import { notFound } from './errors.js';
import type {
  ApiCall,
  Delivery,
  SimChange,
  WebexAttachmentAction,
  WebexMembership,
  WebexMessage,
  WebexPerson,
  WebexRoom,
  WebexWebhook,
} from './types.js';

/** A message plus what Webex tracks about it but does not return. */
export interface StoredMessage {
  message: WebexMessage;
  editCount: number;
}

/** How many calls and deliveries are kept; older ones are dropped (long demo runs). */
export const MAX_RECORDS = 10_000;

/** Events emitted by {@link SimStore.events}. */
export interface SimEvents {
  change: [SimChange];
}

/** In-memory state of one simulated Webex organisation. */
export class SimStore {
  readonly people = new Map<string, WebexPerson>();
  readonly rooms = new Map<string, WebexRoom>();
  readonly memberships = new Map<string, WebexMembership>();
  /** In creation order. */
  readonly messages = new Map<string, StoredMessage>();
  readonly attachmentActions = new Map<string, WebexAttachmentAction>();
  readonly webhooks = new Map<string, WebexWebhook>();
  readonly deliveries: Delivery[] = [];
  readonly calls: ApiCall[] = [];
  readonly events = new EventEmitter<SimEvents>();
  /** token → person id. Tokens never leave this map except through `tokenOf`. */
  private readonly tokens = new Map<string, string>();
  private seq = 0;

  constructor(
    readonly orgId: string,
    readonly appId: string,
  ) {
    // The web space and tests may attach many listeners; none of them leak per call.
    this.events.setMaxListeners(0);
  }

  /** The current time in Webex's ISO format. */
  now(): string {
    return new Date().toISOString();
  }

  /** A process-unique, increasing sequence number for calls and deliveries. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Announces a state change to `events` listeners. */
  changed(change: SimChange): void {
    this.events.emit('change', change);
  }

  /** Appends to the call log (dropping the oldest beyond {@link MAX_RECORDS}). */
  recordCall(call: ApiCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_RECORDS) this.calls.splice(0, this.calls.length - MAX_RECORDS);
    this.changed({ kind: 'call', action: 'created', id: String(call.seq) });
  }

  /** Appends to the delivery log (dropping the oldest beyond {@link MAX_RECORDS}). */
  recordDelivery(delivery: Delivery): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_RECORDS) this.deliveries.splice(0, this.deliveries.length - MAX_RECORDS);
    this.changed({ kind: 'delivery', action: 'created', id: String(delivery.seq) });
  }

  /** Adds a person and the token they authenticate with. */
  addPerson(person: WebexPerson, token: string): void {
    this.people.set(person.id, person);
    this.tokens.set(token, person.id);
    this.changed({ kind: 'person', action: 'created', id: person.id });
  }

  /** The person a token belongs to. */
  personByToken(token: string): WebexPerson | undefined {
    const id = this.tokens.get(token);
    return id === undefined ? undefined : this.people.get(id);
  }

  /** The token issued to a person. */
  tokenOf(personId: string): string | undefined {
    for (const [token, id] of this.tokens) if (id === personId) return token;
    return undefined;
  }

  /** A person by email, case-insensitively. */
  personByEmail(email: string): WebexPerson | undefined {
    const wanted = email.toLowerCase();
    for (const person of this.people.values()) {
      if (person.emails.some((e) => e.toLowerCase() === wanted)) return person;
    }
    return undefined;
  }

  /** A person by id, or a 404. */
  requirePerson(id: string): WebexPerson {
    const person = this.people.get(id);
    if (!person) throw notFound(`Could not find a person with the provided ID.`);
    return person;
  }

  /** The person's membership of the room, if any. */
  membershipOf(roomId: string, personId: string): WebexMembership | undefined {
    for (const m of this.memberships.values()) {
      if (m.roomId === roomId && m.personId === personId) return m;
    }
    return undefined;
  }

  /** Every membership of a room. */
  membersOf(roomId: string): WebexMembership[] {
    return [...this.memberships.values()].filter((m) => m.roomId === roomId);
  }

  /**
   * The room, if the person is a member of it. Webex answers 404 for rooms the
   * caller is not in, exactly as for rooms that do not exist.
   */
  requireRoomOfMember(roomId: string, personId: string): WebexRoom {
    const room = this.rooms.get(roomId);
    if (!room || !this.membershipOf(roomId, personId)) {
      throw notFound('Could not find a room with provided ID.');
    }
    return room;
  }

  /** The direct (1:1) room between two people, if there is one. */
  directRoomBetween(a: string, b: string): WebexRoom | undefined {
    for (const room of this.rooms.values()) {
      if (room.type !== 'direct') continue;
      const members = this.membersOf(room.id).map((m) => m.personId);
      if (members.includes(a) && members.includes(b)) return room;
    }
    return undefined;
  }

  /**
   * Forgets everything but the people listed in `keepPeople` (with their
   * tokens) and, when asked, the webhooks those people own.
   */
  clear(keepPeople: readonly string[], keepWebhooks: boolean): void {
    for (const id of [...this.people.keys()]) if (!keepPeople.includes(id)) this.people.delete(id);
    for (const [token, id] of [...this.tokens]) if (!keepPeople.includes(id)) this.tokens.delete(token);
    for (const [id, hook] of [...this.webhooks]) {
      if (!keepWebhooks || !keepPeople.includes(hook.createdBy)) this.webhooks.delete(id);
    }
    this.rooms.clear();
    this.memberships.clear();
    this.messages.clear();
    this.attachmentActions.clear();
    this.deliveries.length = 0;
    this.calls.length = 0;
    this.changed({ kind: 'reset', action: 'reset' });
  }
}
