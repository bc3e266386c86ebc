/** `/enrich` and the Enrich button: one verdict card per observable, in the same thread. */
import { verdictCard } from '../../cards/verdict.js';
import { UserInputError } from '../errors.js';
import { type Observable, extractObservables, parseObservable } from '../observables/parse.js';
import type { ReplyContext } from '../router/types.js';
import { XDR_SOURCE } from './sources/xdr.js';

const MAX_PER_COMMAND = 3;

/**
 * Observables in free text: extracted locally, and by XDR inspect when nothing local matched.
 * Inspect is an XDR request like any other: it takes from the person's share and from XDR's
 * hourly budget.
 */
export async function observablesIn(ctx: ReplyContext, text: string): Promise<Observable[]> {
  const local = extractObservables(text, MAX_PER_COMMAND + 1);
  const { xdr, enricher } = ctx.services;
  if (local.length > 0 || !xdr) return local;
  await takeShare(ctx, 1);
  if (!(await enricher.spend(XDR_SOURCE, 1))) {
    throw new UserInputError(
      "I found no IP, domain, URL or hash in that, and XDR's hourly request budget is used up, so I cannot ask XDR to find them. Paste the observable itself.",
    );
  }
  const inspected = await xdr.inspect(text.slice(0, 10_000));
  return inspected
    .map((o) => parseObservable(o.value))
    .filter((o): o is Observable => o !== undefined)
    .slice(0, MAX_PER_COMMAND + 1);
}

export async function runEnrich(ctx: ReplyContext, observables: Observable[], incidentId?: string): Promise<void> {
  if (observables.length === 0) throw new UserInputError('I found no IP, domain, URL, hash or email to look up.');
  const asked = observables.slice(0, MAX_PER_COMMAND);
  await takeShare(ctx, asked.length);
  for (const observable of asked) {
    const { card, upstreamLookups } = await ctx.services.enricher.enrich(observable);
    ctx.log.info({ observable: observable.type, upstreamLookups, overall: card.overall, incidentId }, 'enriched');
    await ctx.replyCard(verdictCard({ ...card, ...(incidentId ? { incidentId } : {}) }));
  }
  if (observables.length > MAX_PER_COMMAND) {
    await ctx.reply(`I looked up the first ${MAX_PER_COMMAND}; send the rest in another \`/enrich\`.`);
  }
}

/** One person cannot drain the org's quotas: each has a share of lookups per minute. */
async function takeShare(ctx: ReplyContext, cost: number): Promise<void> {
  const share = await ctx.services.enricher.takeShare(ctx.actor.id, cost);
  if (!share.ok) {
    throw new UserInputError(
      `You have used your ${share.limit} lookups for this minute (ENRICH_PER_PERSON_PER_MINUTE); try again in ${share.retryInSeconds} s.`,
    );
  }
}
