/**
 * Incident workflow shared by commands and buttons: find an incident by its id, change it
 * under its lock, and queue its card update.
 */
import { userText } from '../../cards/format.js';
import { UserInputError } from '../errors.js';
import type { ReplyContext } from '../router/types.js';
import type { ActorRecord, Incident } from './types.js';

export function actorRecord(ctx: ReplyContext): ActorRecord {
  return { id: ctx.actor.id, name: ctx.actor.displayName, email: ctx.actor.email };
}

/** The incident with this id, or a user-facing error. */
export async function incidentById(ctx: ReplyContext, id: string): Promise<Incident> {
  const incident = await ctx.services.incidents.get(id.toLowerCase());
  if (!incident)
    throw new UserInputError(`There is no incident "${userText(id, 20)}". Send \`/incidents\` for the list.`);
  return incident;
}

/** Applies `change` and, when it changed something, updates the incident's card. */
export async function changeIncident(
  ctx: ReplyContext,
  id: string,
  change: (incident: Incident) => boolean,
): Promise<{ incident: Incident; changed: boolean }> {
  const result = await ctx.services.incidents.change(id, change);
  if (!result) throw new UserInputError('That incident no longer exists.');
  if (result.changed) await ctx.services.outbox.enqueueAlert(id);
  return result;
}

export const INCIDENT_ID = /^[a-z2-9]{8}$/i;
