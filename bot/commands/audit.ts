import type { AuditEntry } from '../audit/audit-log.js';
import { escapeMarkdown } from '../../cards/format.js';
import { formatUtc } from '../format-time.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest, readCount } from './args.js';

/** `/audit [n]`: the latest response attempts, allowed or not. */
export const audit = defineCommand({
  name: 'audit',
  usage: '[n]',
  summary: 'show the latest block, tag and other response attempts',
  audience: 'operator',
  parse(args) {
    const [word, rest] = firstAndRest(args);
    if (rest) return { ok: false, reason: 'takes at most one number' };
    return readCount(word, 10, 50);
  },
  async run(ctx, count) {
    const entries = await ctx.services.audit.recent(count);
    await ctx.reply(
      entries.length === 0 ? 'No response actions recorded yet.' : renderAudit(`Last ${entries.length}`, entries),
    );
  },
});

export function renderAudit(title: string, entries: AuditEntry[]): string {
  const lines = [`**${title}**`];
  for (const e of entries) {
    const detail = e.detail ? ` — ${escapeMarkdown(e.detail.slice(0, 160))}` : '';
    lines.push(
      `- ${formatUtc(e.at)} · ${escapeMarkdown(e.actor.name)} · ${e.action} ${escapeMarkdown(e.target)} · **${e.outcome}**${detail}`,
    );
  }
  return lines.join('\n');
}
