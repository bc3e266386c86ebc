/** `/enrich` and the Enrich button: one verdict card per observable, in the same thread. */
import { verdictCard } from '../../cards/verdict.js';
import { UserInputError } from '../errors.js';
import { type Observable, extractObservables, parseObservable } from '../observables/parse.js';
import type { ReplyContext } from '../router/types.js';

const MAX_PER_COMMAND = 3;

/** Observables in free text: extracted locally, and by XDR inspect when nothing local matched. */
export async function observablesIn(ctx: ReplyContext, text: string): Promise<Observable[]> {
  const local = extractObservables(text, MAX_PER_COMMAND + 1);
  if (local.length > 0 || !ctx.services.xdr) return local;
  const inspected = await ctx.services.xdr.inspect(text.slice(0, 10_000));
  return inspected
    .map((o) => parseObservable(o.value))
    .filter((o): o is Observable => o !== undefined)
    .slice(0, MAX_PER_COMMAND + 1);
}

export async function runEnrich(ctx: ReplyContext, observables: Observable[], incidentId?: string): Promise<void> {
  if (observables.length === 0) throw new UserInputError('I found no IP, domain, URL, hash or email to look up.');
  for (const observable of observables.slice(0, MAX_PER_COMMAND)) {
    const { card, upstreamLookups } = await ctx.services.enricher.enrich(observable);
    ctx.log.info({ observable: observable.type, upstreamLookups, overall: card.overall, incidentId }, 'enriched');
    await ctx.replyCard(verdictCard({ ...card, ...(incidentId ? { incidentId } : {}) }));
  }
  if (observables.length > MAX_PER_COMMAND) {
    await ctx.reply(`I looked up the first ${MAX_PER_COMMAND}; send the rest in another \`/enrich\`.`);
  }
}
