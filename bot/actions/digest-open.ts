import { DIGEST_ACTIONS, DIGEST_OPEN_INPUT } from '../../cards/digest.js';
import { userText } from '../../cards/format.js';
import { requestOwnCard } from '../incidents/own-card.js';
import { defineAction } from '../router/types.js';

/**
 * Open card (on a digest card or a page of its list): the host picked in its list gets its own alert
 * card, with Block, Tag, Enrich, Acknowledge. Only a host this very message names can be picked.
 */
export const openFromDigest = defineAction({
  verb: DIGEST_ACTIONS.open,
  summary: 'Open card',
  audience: 'operator',
  async run(ctx, { inputs }) {
    const chosen = inputs[DIGEST_OPEN_INPUT];
    if (typeof chosen !== 'string' || chosen === '') {
      await ctx.reply('Pick a host in the list first, then press **Open card**.');
      return;
    }
    const view = await ctx.services.incidents.digests.view(ctx.messageId);
    if (!view?.incidentIds.includes(chosen)) {
      await ctx.reply('That host is not on this card; pick one from its list.');
      return;
    }
    const { outcome, incident } = await requestOwnCard(ctx, chosen);
    ctx.log.info({ incidentId: incident.id, outcome }, 'own card asked for from a digest');
    if (outcome === 'has-card') {
      await ctx.reply(
        `${userText(incident.hostIp, 45)} · ${userText(incident.eventName, 60)} already has its own card (id ${incident.id}); its buttons are there.`,
      );
    }
  },
});
