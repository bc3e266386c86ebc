/** Rooms and memberships: creation, listing and the events they emit. */
import { allDeliveries, type Published, type SimContext, type WebexEvent } from './context.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import { membershipIdFor, webexId } from './ids.js';
import type { Delivery, RoomType, WebexMembership, WebexPerson, WebexRoom } from './types.js';

/** What it takes to create a room. */
export interface NewRoomInput {
  title: string;
  type: RoomType;
  /** Every member, creator first. A direct room has exactly two. */
  memberIds: readonly string[];
}

function membershipEvent(
  event: 'created' | 'deleted',
  actorId: string,
  membership: WebexMembership,
  audience: readonly string[],
): WebexEvent {
  return {
    resource: 'memberships',
    event,
    actorId,
    data: { ...membership },
    audience,
    filterable: {
      roomId: membership.roomId,
      roomType: membership.roomType,
      personId: membership.personId,
      personEmail: membership.personEmail,
      isModerator: String(membership.isModerator),
    },
  };
}

function newMembership(ctx: SimContext, room: WebexRoom, person: WebexPerson, isModerator: boolean): WebexMembership {
  const membership: WebexMembership = {
    id: membershipIdFor(person.id, room.id),
    roomId: room.id,
    roomType: room.type,
    personId: person.id,
    personEmail: person.emails[0] ?? '',
    personDisplayName: person.displayName,
    personOrgId: person.orgId,
    isModerator,
    isMonitor: false,
    isRoomHidden: false,
    created: ctx.store.now(),
  };
  ctx.store.memberships.set(membership.id, membership);
  ctx.store.changed({ kind: 'membership', action: 'created', id: membership.id, roomId: room.id });
  return membership;
}

/**
 * Creates a room with its members. Like Webex, emits `rooms/created` and one
 * `memberships/created` per member, visible to every member.
 */
export function createRoom(ctx: SimContext, input: NewRoomInput): Published<WebexRoom> {
  const memberIds = [...new Set(input.memberIds)];
  const people = memberIds.map((id) => ctx.store.requirePerson(id));
  const [creator] = people;
  if (!creator) throw badRequest('A room needs at least one member.');
  if (input.type === 'direct' && people.length !== 2) {
    throw badRequest('A direct room has exactly two members.');
  }
  if (input.type === 'direct' && ctx.store.directRoomBetween(people[0]?.id ?? '', people[1]?.id ?? '')) {
    throw conflict('These two people already have a direct room.');
  }
  const now = ctx.store.now();
  const room: WebexRoom = {
    id: webexId('ROOM'),
    title: input.title.trim() || people.map((p) => p.displayName).join(', '),
    type: input.type,
    isLocked: false,
    creatorId: creator.id,
    ownerId: creator.orgId,
    lastActivity: now,
    created: now,
  };
  ctx.store.rooms.set(room.id, room);
  ctx.store.changed({ kind: 'room', action: 'created', id: room.id, roomId: room.id });
  const memberships = people.map((p) => newMembership(ctx, room, p, false));
  const audience = people.map((p) => p.id);
  const roomEvent: WebexEvent = {
    resource: 'rooms',
    event: 'created',
    actorId: creator.id,
    data: { ...room },
    audience,
    filterable: { roomId: room.id, type: room.type },
  };
  const deliveries = allDeliveries([
    ctx.publish(roomEvent),
    ...memberships.map((m) =>
      ctx.publish({ ...membershipEvent('created', creator.id, m, audience), withNewRoom: true }),
    ),
  ]);
  return { value: room, deliveries };
}

/** The direct room between two people, created (with its events) when there is none yet. */
export function openDirectRoom(ctx: SimContext, fromId: string, toId: string): Published<WebexRoom> {
  const existing = ctx.store.directRoomBetween(fromId, toId);
  if (existing) return { value: existing, deliveries: Promise.resolve<Delivery[]>([]) };
  const other = ctx.store.requirePerson(toId);
  return createRoom(ctx, { title: other.displayName, type: 'direct', memberIds: [fromId, toId] });
}

/** What it takes to add someone to a room. */
export interface NewMembershipInput {
  roomId: string;
  personId?: string | undefined;
  personEmail?: string | undefined;
  isModerator?: boolean | undefined;
}

/** Adds a person to a room on behalf of `actorId`, emitting `memberships/created`. */
export function addMembership(ctx: SimContext, actorId: string, input: NewMembershipInput): Published<WebexMembership> {
  const room = ctx.store.requireRoomOfMember(input.roomId, actorId);
  if (room.type === 'direct') throw badRequest('People cannot be added to a direct room.');
  let person: WebexPerson | undefined;
  if (input.personId) person = ctx.store.people.get(input.personId);
  else if (input.personEmail) person = ctx.store.personByEmail(input.personEmail);
  else throw badRequest('A membership needs personId or personEmail.');
  if (!person) throw notFound('Could not find the person to add.');
  if (ctx.store.membershipOf(room.id, person.id)) throw conflict('The person is already a member of the room.');
  const membership = newMembership(ctx, room, person, input.isModerator ?? false);
  const audience = ctx.store.membersOf(room.id).map((m) => m.personId);
  const deliveries = ctx.publish(membershipEvent('created', actorId, membership, audience));
  return { value: membership, deliveries };
}

/** Removes a membership on behalf of a member of the room, emitting `memberships/deleted`. */
export function removeMembership(ctx: SimContext, actorId: string, membershipId: string): Published<WebexMembership> {
  const membership = getMembership(ctx, actorId, membershipId);
  const room = ctx.store.rooms.get(membership.roomId);
  if (room?.type === 'direct') throw forbidden('Nobody can leave a direct room.');
  const audience = ctx.store.membersOf(membership.roomId).map((m) => m.personId);
  ctx.store.memberships.delete(membership.id);
  ctx.store.changed({ kind: 'membership', action: 'deleted', id: membership.id, roomId: membership.roomId });
  const deliveries = ctx.publish(membershipEvent('deleted', actorId, membership, audience));
  return { value: membership, deliveries };
}

/** A membership the caller can see (they are a member of its room). */
export function getMembership(ctx: SimContext, callerId: string, membershipId: string): WebexMembership {
  const membership = ctx.store.memberships.get(membershipId);
  if (!membership || !ctx.store.membershipOf(membership.roomId, callerId)) {
    throw notFound('Could not find a membership with provided ID.');
  }
  return membership;
}

/**
 * `GET /memberships`: with `roomId`, the room's members (optionally one person);
 * without, the caller's own memberships.
 */
export function listMemberships(
  ctx: SimContext,
  callerId: string,
  query: { roomId?: string | undefined; personId?: string | undefined; personEmail?: string | undefined },
): WebexMembership[] {
  if (!query.roomId) {
    if (query.personId || query.personEmail) {
      throw badRequest('personId and personEmail filters need a roomId.');
    }
    return [...ctx.store.memberships.values()].filter((m) => m.personId === callerId);
  }
  ctx.store.requireRoomOfMember(query.roomId, callerId);
  const email = query.personEmail?.toLowerCase();
  return ctx.store
    .membersOf(query.roomId)
    .filter((m) => (query.personId ? m.personId === query.personId : true))
    .filter((m) => (email ? m.personEmail.toLowerCase() === email : true));
}

/** `GET /rooms`: the caller's rooms, most recently active first. */
export function listRooms(ctx: SimContext, callerId: string, type?: RoomType): WebexRoom[] {
  return [...ctx.store.rooms.values()]
    .filter((room) => ctx.store.membershipOf(room.id, callerId))
    .filter((room) => (type ? room.type === type : true))
    .sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
}
