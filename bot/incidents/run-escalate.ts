import { UserInputError } from '../errors.js';
import type { ReplyContext } from '../router/types.js';
import { escalate } from './escalate.js';
import { actorRecord, changeIncident } from './workflow.js';
import type { Incident } from './types.js';

/** `/escalate` and the Escalate button: one XDR incident per SNA incident, never two. */
export async function runEscalate(ctx: ReplyContext, incident: Incident): Promise<void> {
  const { xdr, audit, config, now } = ctx.services;
  if (!xdr) throw new UserInputError('Escalating needs Cisco XDR: set XDR_CLIENT_ID and XDR_CLIENT_SECRET.');
  if (incident.escalation) {
    await ctx.reply(`Already escalated to XDR incident ${incident.escalation.id.split('/').pop()}.`);
    return;
  }
  const actor = actorRecord(ctx);
  const result = await escalate(xdr, incident, now());
  const url = config.xdrIncidentUrlTemplate?.replaceAll(
    '{id}',
    encodeURIComponent(result.id.split('/').pop() ?? result.id),
  );
  await changeIncident(ctx, incident.id, (i) => {
    i.escalation = { id: result.id.split('/').pop() ?? result.id, url, at: now().toISOString(), by: actor };
    return true;
  });
  await audit.record({
    actor,
    action: 'escalate',
    target: `incident:${incident.id}`,
    outcome: result.created ? 'done' : 'already',
    incidentId: incident.id,
    upstreamIds: [result.id],
    detail: `${result.sightings} sightings`,
  });
  await ctx.reply(
    `Escalated ${incident.id} to XDR incident ${result.id.split('/').pop()} with ${result.sightings} sightings.`,
  );
}
