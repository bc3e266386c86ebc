import { UserInputError } from '../errors.js';
import { NOT_YET_RECORDED, recordAfterChange } from '../response/bookkeeping.js';
import type { ReplyContext } from '../router/types.js';
import { escalate } from './escalate.js';
import { actorRecord } from './workflow.js';
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
  const shortId = result.id.split('/').pop() ?? result.id;
  const url = config.xdrIncidentUrlTemplate?.replaceAll('{id}', encodeURIComponent(shortId));
  // XDR has the incident now: what follows is bookkeeping, retried rather than reported as a failure.
  const allRecorded = await recordAfterChange(ctx.log, [
    {
      what: 'incident card',
      run: async () => {
        const changed = await ctx.services.incidents.change(incident.id, (i) => {
          i.escalation = { id: shortId, url, at: now().toISOString(), by: actor };
          return true;
        });
        if (changed?.changed) await ctx.services.outbox.enqueueAlert(incident.id);
      },
    },
    {
      what: 'audit',
      run: () =>
        audit.record({
          actor,
          action: 'escalate',
          target: `incident:${incident.id}`,
          outcome: result.created ? 'done' : 'already',
          incidentId: incident.id,
          upstreamIds: [result.id],
          detail: `${result.sightings} sightings`,
          once: `escalate:${result.id}`,
        }),
    },
  ]);
  await ctx.reply(
    `Escalated ${incident.id} to XDR incident ${shortId} with ${result.sightings} sightings.${allRecorded ? '' : NOT_YET_RECORDED}`,
  );
}
