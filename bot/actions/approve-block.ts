import { runApprove } from '../response/run-block.js';
import { defineAction } from '../router/types.js';

/** Approve block: the second responder approves the pending request the card shows. */
export const approveBlock = defineAction({
  verb: 'approve-block',
  summary: 'Approve block',
  audience: 'responder',
  async run(ctx, { incident }) {
    if (incident.block?.state !== 'pending') {
      await ctx.reply('There is no pending block request on this incident any more.');
      return;
    }
    await runApprove(ctx, incident.block.requestId);
  },
});
