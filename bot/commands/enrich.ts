import { observablesIn, runEnrich } from '../enrich/run-enrich.js';
import { defineCommand } from '../router/types.js';

/** `/enrich <observable or text>`: one merged verdict from every configured source. */
export const enrich = defineCommand({
  name: 'enrich',
  aliases: ['lookup'],
  usage: '<ip|domain|url|hash|email or pasted text>',
  summary: 'look an observable up in XDR, Umbrella, Secure Endpoint, SNA and VirusTotal',
  audience: 'operator',
  parse(args) {
    if (!args.trim())
      return {
        ok: false,
        reason: 'needs something to look up, e.g. `/enrich 203.0.113.7` or `/enrich evil[.]example`',
      };
    if (args.length > 10_000) return { ok: false, reason: 'takes at most 10,000 characters' };
    return { ok: true, args };
  },
  async run(ctx, text) {
    await runEnrich(ctx, await observablesIn(ctx, text));
  },
});
