import { INCIDENT_ID, actorRecord, changeIncident, incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest } from './args.js';

/** `/resolve <id> [note]`: close the incident; repeats open a new one. */
export const resolve = defineCommand({
  name: 'resolve',
  usage: '<id> [note]',
  summary: 'close an incident, with an optional note',
  audience: 'operator',
  parse(args) {
    const [id, note] = firstAndRest(args);
    if (!INCIDENT_ID.test(id)) return { ok: false, reason: 'needs the 8-character incident id first' };
    if (note.length > 500) return { ok: false, reason: 'takes a note of at most 500 characters' };
    return { ok: true, args: { id: id.toLowerCase(), note: note || undefined } };
  },
  async run(ctx, { id, note }) {
    await incidentById(ctx, id);
    const at = ctx.services.now().toISOString();
    const { changed } = await changeIncident(ctx, id, (i) => {
      if (i.state === 'resolved') return false;
      i.state = 'resolved';
      i.resolved = { by: actorRecord(ctx), at, note };
      return true;
    });
    await ctx.reply(changed ? `Resolved ${id}.` : `${id} was already resolved.`);
  },
});
