import { userText } from '../../cards/format.js';
import { actorRecord, incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { readIncidentId } from './args.js';

/** `/ack <id>`: acknowledge from the keyboard (same as the card's button). */
export const ack = defineCommand({
  name: 'ack',
  usage: '<id>',
  summary: 'acknowledge an incident',
  audience: 'operator',
  parse: readIncidentId,
  async run(ctx, id) {
    await incidentById(ctx, id);
    const result = await ctx.services.incidents.acknowledge(id, actorRecord(ctx), ctx.services.now());
    if (!result) return;
    if (result.changed) await ctx.services.outbox.enqueueAlert(id);
    const { incident } = result;
    await ctx.reply(
      result.changed
        ? `Acknowledged ${id}.`
        : `${id} is already ${incident.state}${incident.ack ? ` (by ${userText(incident.ack.by.name, 80)})` : ''}.`,
    );
  },
});
