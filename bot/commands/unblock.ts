import { runUnblock } from '../response/run-block.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest, readObservable } from './args.js';

/** `/unblock <observable>`: expire the block so the feed drops it. */
export const unblock = defineCommand({
  name: 'unblock',
  usage: '<ip|domain|url|sha256>',
  summary: 'lift a block (the judgement expires and the feed drops it)',
  audience: 'responder',
  parse(args) {
    const [word, rest] = firstAndRest(args);
    if (rest) return { ok: false, reason: 'takes one observable' };
    return readObservable(word);
  },
  async run(ctx, observable) {
    await runUnblock(ctx, { observable });
  },
});
