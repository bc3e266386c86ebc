import { formatDuration, parseDuration } from '../duration.js';
import { formatUtc } from '../format-time.js';
import { INCIDENT_ID, changeIncident, incidentById } from '../incidents/workflow.js';
import { parseObservable } from '../observables/parse.js';
import { type ParseResult, defineCommand } from '../router/types.js';
import { firstAndRest } from './args.js';

const MAX_SNOOZE_MS = 30 * 24 * 3600 * 1000;

type SnoozeArgs = { kind: 'host' | 'incident'; target: string; ms: number };

/** `/snooze <host|incident> <duration>`: no new cards for that host or incident until then. */
export const snooze = defineCommand({
  name: 'snooze',
  usage: '<host ip|incident id> <duration like 2h>',
  summary: 'quiet a host or an incident for a while',
  audience: 'operator',
  parse(args): ParseResult<SnoozeArgs> {
    const [target, rest] = firstAndRest(args);
    const [durationText, extra] = firstAndRest(rest);
    const ms = parseDuration(durationText);
    if (!target) return { ok: false, reason: 'needs a host IP or an incident id, then a duration' };
    if (ms === undefined || extra)
      return { ok: false, reason: 'needs a duration like `30m`, `2h` or `1d` after the target' };
    if (ms > MAX_SNOOZE_MS) return { ok: false, reason: 'snoozes for at most 30d' };
    const ip = parseObservable(target);
    if (ip && (ip.type === 'ip' || ip.type === 'ipv6'))
      return { ok: true, args: { kind: 'host', target: ip.value, ms } };
    if (INCIDENT_ID.test(target)) return { ok: true, args: { kind: 'incident', target: target.toLowerCase(), ms } };
    return { ok: false, reason: 'needs a host IP or an 8-character incident id' };
  },
  async run(ctx, { kind, target, ms }) {
    const until = new Date(ctx.services.now().getTime() + ms).toISOString();
    if (kind === 'host') {
      await ctx.services.incidents.hostSnoozes.snooze(target, until, ms);
      const open = (await ctx.services.incidents.list()).filter((i) => i.hostIp === target && i.state !== 'resolved');
      for (const i of open) await changeIncident(ctx, i.id, (x) => ((x.snoozedUntil = until), true));
    } else {
      await incidentById(ctx, target);
      await changeIncident(ctx, target, (i) => ((i.snoozedUntil = until), true));
    }
    await ctx.reply(
      `Snoozed ${kind} ${target} for ${formatDuration(ms)} (until ${formatUtc(until)}): no new cards until then.`,
    );
  },
});
