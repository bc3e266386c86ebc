import { DIGEST_ACTIONS, digestListPages } from '../../cards/digest.js';
import { defineAction } from '../router/types.js';

/**
 * "List the other N" (on a digest card too long for Webex): the rows the card could not carry,
 * posted as pages threaded under it, through the outbox (429-aware, persisted), once per digest.
 */
export const listDigest = defineAction({
  verb: DIGEST_ACTIONS.list,
  summary: 'List the rest of a digest',
  audience: 'operator',
  async run(ctx) {
    const { incidents, outbox } = ctx.services;
    const view = await incidents.digests.view(ctx.messageId);
    const digest = view?.part === 'card' ? await incidents.digests.get(view.digestId) : undefined;
    if (!digest) {
      await ctx.reply('That button only works on a digest card.');
      return;
    }
    const pages = digestListPages(digest.input).length;
    if (pages === 0) {
      await ctx.reply('Every incident of this digest is on its card.');
      return;
    }
    const queued = await outbox.enqueueDigestList(digest.id, pages);
    ctx.log.info({ digestId: digest.id, pages, queued }, 'digest list asked for');
    if (!queued) await ctx.reply('The full list is already in this thread (or on its way).');
  },
});
