/**
 * An operator asks for an incident's own card: a digest's Open card, or `/incident` for an incident
 * without one. The card is queued once, and posted even while the incident is digested or snoozed
 * (someone asked for it); from then on it is an alert card like any other, updated in place.
 */
import { UserInputError } from '../errors.js';
import type { ReplyContext } from '../router/types.js';
import type { Incident } from './types.js';
import { actorRecord } from './workflow.js';

export async function requestOwnCard(
  ctx: ReplyContext,
  id: string,
): Promise<{ outcome: 'queued' | 'has-card'; incident: Incident }> {
  const by = actorRecord(ctx);
  const at = ctx.services.now().toISOString();
  const result = await ctx.services.incidents.change(id, (incident) => {
    if (incident.card !== undefined || incident.cardRequested !== undefined) return false;
    incident.cardRequested = { by, at };
    if (incident.digested) {
      incident.digested = false;
      if (incident.digest) incident.digest.promoted ??= { at, why: [`asked for by ${by.name}`] };
    }
    return true;
  });
  if (!result) throw new UserInputError('That incident no longer exists.');
  if (result.incident.card !== undefined) return { outcome: 'has-card', incident: result.incident };
  // Asked for before: queued again (coalesced while it waits), in case that entry was set aside.
  await ctx.services.outbox.enqueueAlert(id);
  return { outcome: 'queued', incident: result.incident };
}
