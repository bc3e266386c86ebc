import { runEscalate } from '../incidents/run-escalate.js';
import { defineAction } from '../router/types.js';

/** Escalate: the same as `/escalate <id>`, from the card. */
export const escalateIncident = defineAction({
  verb: 'escalate',
  summary: 'Escalate',
  audience: 'operator',
  async run(ctx, { incident }) {
    await runEscalate(ctx, incident);
  },
});
