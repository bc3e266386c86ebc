import { runApprove } from '../response/run-block.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest } from './args.js';

/** `/approve <request id>`: the second responder of the two-person rule lets a block through. */
export const approve = defineCommand({
  name: 'approve',
  usage: '<request id>',
  summary: 'approve a pending block request (two-person rule)',
  audience: 'responder',
  parse(args) {
    const [word, rest] = firstAndRest(args);
    if (!/^[0-9a-f]{6}$/i.test(word) || rest)
      return { ok: false, reason: 'needs the 6-character request id, e.g. `/approve 3fa9c1`' };
    return { ok: true, args: word.toLowerCase() };
  },
  async run(ctx, id) {
    await runApprove(ctx, id);
  },
});
