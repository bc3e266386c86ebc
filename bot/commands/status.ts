import { formatAgo, formatUtc } from '../format-time.js';
import { defineCommand, noArgs } from '../router/types.js';
import type { Services } from '../services.js';

/** `/status`: is the bot healthy, when did it last hear from the SMC, is anything stuck. */
export const status = defineCommand({
  name: 'status',
  usage: '',
  summary: 'show polling, SMC session and delivery health',
  audience: 'everyone',
  parse: noArgs,
  async run(ctx) {
    const operator = await ctx.services.roles.allows(ctx.actor, 'operator');
    await ctx.reply(operator ? await renderStatus(ctx.services) : await renderPublicStatus(ctx.services));
  },
});

/**
 * What anyone may know: up or degraded, nothing more. Feed URLs carry the feed secret, and the
 * SMC session, quotas and poll details are the SOC's business.
 */
export async function renderPublicStatus(services: Services): Promise<string> {
  const poll = await services.poller?.status().catch(() => undefined);
  const stateUp = await services.state.ping();
  const degraded = !stateUp || (poll?.lastError !== undefined && poll.lastPollAt !== undefined);
  return `**SNA ChatOps** is ${degraded ? '**degraded**' : 'up'}. Details are for the SOC's operators.`;
}

export async function renderStatus(services: Services): Promise<string> {
  const now = services.now();
  const lines = ['**SNA ChatOps status**'];
  if (!services.poller) {
    lines.push('- SMC: not configured (set `SNA_URL`, `SNA_USERNAME`, `SNA_PASSWORD`)');
  } else {
    const session = services.snaSession?.();
    lines.push(
      session?.loggedIn
        ? `- SMC session: logged in since ${formatUtc(session.since ?? now)} (${session.logins} login${session.logins === 1 ? '' : 's'} so far)`
        : '- SMC session: not logged in',
    );
    const poll = await services.poller.status();
    const cfg = services.config.sna;
    if (!poll.lastPollAt) lines.push('- Last poll: none yet');
    else if (poll.lastError) {
      lines.push(
        `- Last poll: **failing** (${poll.consecutiveFailures}×): ${poll.lastError}; next try ${poll.nextPollAt ? formatAgo(poll.nextPollAt, now) : 'soon'}`,
      );
      if (poll.lastSuccessAt) lines.push(`- Last good poll: ${formatAgo(poll.lastSuccessAt, now)}`);
    } else {
      const s = poll.lastSummary;
      lines.push(
        `- Last poll: ${formatAgo(poll.lastPollAt, now)}, ok` +
          (s ? `: ${s.events} event${s.events === 1 ? '' : 's'} in window, ${s.newOrChanged} new or changed` : '') +
          (s?.malformed
            ? `; **${s.malformed} malformed SMC record${s.malformed === 1 ? '' : 's'} skipped** (see the bot's log)`
            : '') +
          (s?.futureDated
            ? `; **${s.futureDated} event${s.futureDated === 1 ? '' : 's'} dated in the future skipped** (check the SMC's clock)`
            : ''),
      );
    }
    lines.push(
      `- Events seen: ${poll.eventsSeen} · polling every ${cfg?.pollSeconds ?? '?'} s for ${cfg?.eventTypes.join(', ')}`,
    );
  }
  const stateUp = await services.state.ping();
  if (!stateUp) {
    lines.push(`- State store (${services.state.kind}): **unreachable**: alerts and actions wait until it is back`);
    return lines.join('\n');
  }
  const outbox = await services.outbox.status();
  lines.push(
    outbox.size === 0
      ? '- Outbox: empty, every alert delivered'
      : `- Outbox: ${outbox.size} waiting${outbox.lastError ? ` (${outbox.lastError}${outbox.waitingUntil ? `, ${retryWhen(outbox.waitingUntil, now)}` : ''})` : ''}`,
  );
  if (!services.blocks) lines.push('- Blocking: not configured (set `XDR_CLIENT_ID`, `XDR_CLIENT_SECRET`)');
  else {
    const feeds = await services.blocks.feeds();
    if (feeds.length === 0) lines.push('- Blocking feeds: created on the first block');
    for (const feed of feeds) lines.push(`- Blocking feed ${feed.title}: ${feed.viewUrl}`);
  }
  const sources = services.enricher.sourceNames;
  const quotas = await services.enricher.quotas();
  lines.push(
    `- Enrichment: ${sources.join(', ')}` +
      (quotas.length ? ` · quota left: ${quotas.map((q) => `${q.name} ${q.remaining}/${q.limit}`).join(', ')}` : ''),
  );
  if (services.config.response.approval === 'two-person')
    lines.push('- Blocks need a second responder (two-person rule)');
  lines.push(
    `- State: ${services.state.kind} · ${services.leadership.isLeader ? 'this replica polls and delivers' : 'standing by (another replica leads)'} · up since ${formatUtc(services.startedAt)}`,
  );
  return lines.join('\n');
}

/** "retry in 12 s", or "retrying now" once that time has come (never "retry 0 s ago"). */
export function retryWhen(at: Date | string, now: Date): string {
  const time = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return time > now.getTime() + 500 ? `retry ${formatAgo(new Date(time), now)}` : 'retrying now';
}
