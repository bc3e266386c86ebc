import { runEscalate } from '../incidents/run-escalate.js';
import { incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { readIncidentId } from './args.js';

/** `/escalate <id>`: create (once) an XDR incident with a sighting per SNA event. */
export const escalate = defineCommand({
  name: 'escalate',
  usage: '<id>',
  summary: 'open an XDR incident for it, with its SNA events as sightings',
  audience: 'operator',
  parse: readIncidentId,
  async run(ctx, id) {
    await runEscalate(ctx, await incidentById(ctx, id));
  },
});
