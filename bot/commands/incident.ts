import { alertCard } from '../../cards/alert.js';
import { alertCardInput } from '../incidents/to-card.js';
import { incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { readIncidentId } from './args.js';

/** `/incident <id>`: the incident's card, here (without buttons: they live on the alert). */
export const incident = defineCommand({
  name: 'incident',
  usage: '<id>',
  summary: 'show one incident',
  audience: 'operator',
  parse: readIncidentId,
  async run(ctx, id) {
    const found = await incidentById(ctx, id);
    const { config, now } = ctx.services;
    const input = alertCardInput(found, {
      hostUrlTemplate: config.sna?.hostUrlTemplate,
      canBlock: false,
      canTag: false,
      canEscalate: false,
      now: now(),
    });
    await ctx.replyCard(alertCard({ ...input, actions: [] }));
  },
});
