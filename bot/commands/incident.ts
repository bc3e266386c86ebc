import { alertCard } from '../../cards/alert.js';
import { userText } from '../../cards/format.js';
import { requestOwnCard } from '../incidents/own-card.js';
import { alertCardInput } from '../incidents/to-card.js';
import { incidentById } from '../incidents/workflow.js';
import { defineCommand } from '../router/types.js';
import { readIncidentId } from './args.js';

/**
 * `/incident <id>`: an incident with a card of its own is shown here (without buttons: they live on
 * its card); one without (named only in a digest, or snoozed from the start) gets its card posted
 * in the alert space, with its buttons, as a digest's Open card does.
 */
export const incident = defineCommand({
  name: 'incident',
  usage: '<id>',
  summary: 'show one incident',
  audience: 'operator',
  parse: readIncidentId,
  async run(ctx, id) {
    const found = await incidentById(ctx, id);
    if (found.card === undefined) {
      const { outcome } = await requestOwnCard(ctx, found.id);
      if (outcome === 'queued') {
        await ctx.reply(
          `Posting the card of ${found.id} (${userText(found.hostIp, 45)} · ${userText(found.eventName, 60)}) in the alert space, with its buttons.`,
        );
        return;
      }
    }
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
