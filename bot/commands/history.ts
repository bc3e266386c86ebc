import { observableText } from '../../cards/format.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest, readObservable } from './args.js';
import { renderAudit } from './audit.js';

/** `/history <observable>`: every response attempt about one IP, domain, URL or hash. */
export const history = defineCommand({
  name: 'history',
  usage: '<ip|domain|url|hash>',
  summary: 'show what was done about one observable',
  audience: 'operator',
  parse(args) {
    const [word, rest] = firstAndRest(args);
    if (rest) return { ok: false, reason: 'takes one observable' };
    return readObservable(word);
  },
  async run(ctx, observable) {
    const targets =
      observable.type === 'ip' || observable.type === 'ipv6'
        ? [`${observable.type}:${observable.value}`, `host:${observable.value}`]
        : [`${observable.type}:${observable.value}`];
    const entries = (await Promise.all(targets.map((t) => ctx.services.audit.forTarget(t))))
      .flat()
      .sort((a, b) => b.seq - a.seq)
      .slice(0, 20);
    const shown = observableText(observable.type, observable.value);
    await ctx.reply(
      entries.length === 0 ? `Nothing recorded about ${shown}.` : renderAudit(`History of ${shown}`, entries),
    );
  },
});
