import { runEscalate } from '../incidents/run-escalate.js';
import { INCIDENT_ID, incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest } from './args.js';

/** `/escalate <id>`: create (once) an XDR incident with a sighting per SNA event. */
export const escalate = defineCommand({
  name: 'escalate',
  usage: '<id>',
  summary: 'open an XDR incident for it, with its SNA events as sightings',
  audience: 'operator',
  parse(args) {
    const [id, rest] = firstAndRest(args);
    return INCIDENT_ID.test(id) && !rest
      ? { ok: true, args: id.toLowerCase() }
      : { ok: false, reason: 'needs the 8-character incident id from the card' };
  },
  async run(ctx, id) {
    await runEscalate(ctx, await incidentById(ctx, id));
  },
});
