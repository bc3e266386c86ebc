import { incidentListCard } from '../../cards/incident-list.js';
import { severityFor } from '../incidents/severity.js';
import { defineCommand } from '../router/types.js';

/** `/incidents [open|all]`: the newest incidents, open ones by default. */
export const incidents = defineCommand({
  name: 'incidents',
  usage: '[open|all]',
  summary: 'list recent incidents',
  audience: 'operator',
  parse(args) {
    const which = args.trim().toLowerCase() || 'open';
    return which === 'open' || which === 'all'
      ? { ok: true, args: which }
      : { ok: false, reason: 'takes `open` or `all`' };
  },
  async run(ctx, which) {
    const all = await ctx.services.incidents.list(500);
    const shown = which === 'open' ? all.filter((i) => i.state !== 'resolved') : all;
    await ctx.replyCard(
      incidentListCard({
        title: which === 'open' ? 'Open incidents' : 'All recent incidents',
        total: shown.length,
        generatedAt: ctx.services.now().toISOString(),
        incidents: shown.slice(0, 50).map((i) => ({
          incidentId: i.id,
          host: i.hostIp,
          eventName: i.eventName,
          severity: severityFor(i.points),
          state: i.state,
          assignee: i.assignee?.name,
          lastActive: i.lastActive,
          snoozedUntil: i.snoozedUntil,
        })),
      }),
    );
  },
});
