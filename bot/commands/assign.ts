import { userText } from '../../cards/format.js';
import { INCIDENT_ID, actorRecord, changeIncident, incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest } from './args.js';

/** `/assign <id> <person>`: who owns the incident (an email, or a name). */
export const assign = defineCommand({
  name: 'assign',
  usage: '<id> <email or name>',
  summary: 'give an incident an owner',
  audience: 'operator',
  parse(args) {
    const [id, person] = firstAndRest(args);
    if (!INCIDENT_ID.test(id)) return { ok: false, reason: 'needs the 8-character incident id first' };
    const who = person.replace(/^@/, '').replace(/\s+/g, ' ').trim();
    if (!who) return { ok: false, reason: 'needs the person to assign, e.g. `/assign abcd2345 jane@soc.example`' };
    if (who.length > 100) return { ok: false, reason: 'takes a name or email of at most 100 characters' };
    return { ok: true, args: { id: id.toLowerCase(), who } };
  },
  async run(ctx, { id, who }) {
    await incidentById(ctx, id);
    const at = ctx.services.now().toISOString();
    const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(who) ? who.toLowerCase() : undefined;
    await changeIncident(ctx, id, (i) => {
      i.assignee = { name: who, email, by: actorRecord(ctx), at };
      return true;
    });
    await ctx.reply(`Assigned ${id} to ${userText(who, 100)}.`);
  },
});
