/**
 * Webex-shaped identifiers: base64url (unpadded) of `ciscospark://us/<TYPE>/<uuid>`.
 *
 * The SDK's people batcher re-encodes any id that does not decode to a
 * `ciscospark://` URI, so ids must look real for the framework to work.
 */
import { randomUUID } from 'node:crypto';

/** The resource types that appear inside Webex ids. */
export type IdType =
  'PEOPLE' | 'ROOM' | 'MEMBERSHIP' | 'MESSAGE' | 'ATTACHMENT_ACTION' | 'WEBHOOK' | 'ORGANIZATION' | 'APPLICATION';

/** Encodes a uuid as a Webex id of the given type. */
export function webexId(type: IdType, uuid: string = randomUUID()): string {
  return Buffer.from(`ciscospark://us/${type}/${uuid}`, 'utf8').toString('base64url');
}

/**
 * A membership id as Webex makes it: `ciscospark://us/MEMBERSHIP/<person uuid>:<room uuid>`. The SDK
 * rebuilds exactly this from a socket activity (`buildHydraMembershipId`) and the framework then
 * fetches it, so it must be the id the REST API knows.
 */
export function membershipIdFor(personId: string, roomId: string): string {
  const person = parseWebexId(personId)?.uuid ?? randomUUID();
  const room = parseWebexId(roomId)?.uuid ?? randomUUID();
  return webexId('MEMBERSHIP', `${person}:${room}`);
}

/** The uuid inside a Webex id (what Webex's own services and its socket use), or the id itself. */
export function uuidOf(id: string): string {
  return parseWebexId(id)?.uuid ?? id;
}

/** Decodes a Webex id into its type and uuid, or `undefined` when it is not one. */
export function parseWebexId(id: string): { type: string; uuid: string } | undefined {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const match = /^ciscospark:\/\/[a-z0-9]+\/([A-Z_]+)\/([0-9a-f-]{36})$/.exec(decoded);
  if (!match?.[1] || !match[2]) return undefined;
  return { type: match[1], uuid: match[2] };
}

/** A Webex-style tracking id for error bodies and the `trackingid` header. */
export function trackingId(): string {
  return `ROUTER_${randomUUID().toUpperCase()}`;
}
