import type { AuditEntry } from '../audit/audit-log.js';
import { observableText, userText } from '../../cards/format.js';
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
    const detail = e.detail ? ` — ${userText(e.detail, 160)}` : '';
    lines.push(
      `- ${formatUtc(e.at)} · ${userText(e.actor.name, 80)} · ${userText(e.action, 40)} ${targetText(e.target)} · **${userText(e.outcome, 20)}**${detail}`,
    );
  }
  return lines.join('\n');
}

/** An audit target (`domain:evil.example`, `host:10.0.0.1`) with its observable defanged. */
function targetText(target: string): string {
  const colon = target.indexOf(':');
  if (colon < 0) return userText(target, 200);
  const type = target.slice(0, colon);
  return `${userText(type, 20)}:${observableText(type, target.slice(colon + 1))}`;
}
