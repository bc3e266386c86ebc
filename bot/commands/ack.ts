import { escapeMarkdown } from '../../cards/format.js';
import { INCIDENT_ID, actorRecord, changeIncident, incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest } from './args.js';

/** `/ack <id>`: acknowledge from the keyboard (same as the card's button). */
export const ack = defineCommand({
  name: 'ack',
  usage: '<id>',
  summary: 'acknowledge an incident',
  audience: 'operator',
  parse(args) {
    const [id, rest] = firstAndRest(args);
    return INCIDENT_ID.test(id) && !rest
      ? { ok: true, args: id.toLowerCase() }
      : { ok: false, reason: 'needs the 8-character incident id from the card' };
  },
  async run(ctx, id) {
    await incidentById(ctx, id);
    const at = ctx.services.now().toISOString();
    const { incident, changed } = await changeIncident(ctx, id, (i) => {
      if (i.state !== 'open') return false;
      i.state = 'acked';
      i.ack = { by: actorRecord(ctx), at };
      return true;
    });
    await ctx.reply(
      changed
        ? `Acknowledged ${id}.`
        : `${id} is already ${incident.state}${incident.ack ? ` (by ${escapeMarkdown(incident.ack.by.name)})` : ''}.`,
    );
  },
});
