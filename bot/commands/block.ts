import { parseDuration } from '../duration.js';
import { looksLikeCidr } from '../response/guardrails.js';
import { runBlock } from '../response/run-block.js';
import { defineCommand } from '../router/types.js';
import { clip, firstAndRest, readObservable } from './args.js';

const MAX_TTL_MS = 90 * 24 * 3600 * 1000;

/** `/block <observable> [ttl] [reason]`: put an observable on the XDR blocking feed. */
export const block = defineCommand({
  name: 'block',
  usage: '<ip|domain|url|sha256> [ttl like 7d] [reason]',
  summary: 'block an observable on the XDR blocking feed firewalls read',
  audience: 'responder',
  parse(args) {
    const [word, rest] = firstAndRest(args);
    if (looksLikeCidr(word))
      return { ok: false, reason: `blocks single observables; "${clip(word)}" is a range, too broad` };
    const observable = readObservable(word);
    if (!observable.ok) return observable;
    const [maybeTtl, afterTtl] = firstAndRest(rest);
    const ttlMs = maybeTtl ? parseDuration(maybeTtl) : undefined;
    if (ttlMs !== undefined && ttlMs > MAX_TTL_MS) return { ok: false, reason: 'blocks for at most 90d' };
    const reason = (ttlMs !== undefined ? afterTtl : rest).slice(0, 500);
    return { ok: true, args: { observable: observable.args, ttlMs, reason: reason || undefined } };
  },
  async run(ctx, ask) {
    await runBlock(ctx, ask);
  },
});
