/**
 * The digest card: when one poll brings many new incidents, one card lists the worst of them instead
 * of flooding the room with a card each. It has no buttons; operators act with `/ack <id>` or open
 * `/incidents open`.
 */
import { adaptiveCard, fitBudget, jsonBytes, SEVERITY_COLOR, SEVERITY_RANK, severityLabel } from './common.js';
import {
  formatCount,
  formatNumber,
  formatUtc,
  formatUtcRange,
  truncateUtf8,
  userText,
  utf8ByteLength,
} from './format.js';
import type { CardElement, DigestCardInput, RenderedCard, Severity } from './types.js';
import { MAX_CARD_JSON_BYTES, MAX_MARKDOWN_BYTES } from './types.js';

/** Code-point limits for text from outside systems (before escaping) and the number of rows shown. */
const LIMITS = {
  incidentsShown: 10,
  host: 45,
  eventName: 60,
  incidentId: 64,
} as const;

/** Card JSON kept free for the "+N more" line and rounding. */
const CARD_RESERVE_BYTES = 400;

/** Fallback bytes kept free for the "+N more" line and the ellipsis. */
const FALLBACK_RESERVE_BYTES = 120;

type DigestIncident = DigestCardInput['incidents'][number];

/**
 * Renders the digest of one poll's new incidents: the count, the poll window, and the top incidents
 * by severity (then by event count) as one compact line each, "+N more" for the rest. Pure; text
 * from outside systems is escaped, the card has no actions and stays under 20 KB, and the fallback
 * within Webex's 7439-byte limit.
 */
export function digestCard(input: DigestCardInput): RenderedCard {
  const total = Math.max(Number.isFinite(input.total) ? Math.trunc(input.total) : 0, input.incidents.length);
  const top = worstFirst(input.incidents).slice(0, LIMITS.incidentsShown);
  const lines = top.map(incidentLine);
  const head = headBlocks(input, total);
  const footer = footerBlock(input);
  const budget = MAX_CARD_JSON_BYTES - jsonBytes(adaptiveCard([...head, footer])) - CARD_RESERVE_BYTES;
  const rows = fitBudget(lines.map(rowBlock), budget, jsonBytes);
  const cardMore = moreLine(total - rows.kept.length);
  const body = [
    ...head,
    ...rows.kept,
    ...(cardMore === '' ? [] : [{ type: 'TextBlock', text: cardMore, isSubtle: true, wrap: true }]),
    footer,
  ];
  return { card: adaptiveCard(body), fallbackText: digestFallback(input, total, lines) };
}

/** Highest severity first, then most events; ties keep the input order. */
function worstFirst(incidents: readonly DigestIncident[]): DigestIncident[] {
  return [...incidents].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.eventCount - a.eventCount,
  );
}

/** "**HIGH** · 10.0.0.5 · High Total Traffic · 3 events · id inc-…" */
function incidentLine(incident: DigestIncident): string {
  return [
    `**${severityLabel(incident.severity)}**`,
    userText(incident.host, LIMITS.host) || 'unknown host',
    userText(incident.eventName, LIMITS.eventName) || 'unnamed event',
    formatCount(incident.eventCount, 'event'),
    `id ${userText(incident.incidentId, LIMITS.incidentId)}`,
  ].join(' · ');
}

/** "30 new incidents in the last poll" */
function title(total: number): string {
  return `${formatCount(total, 'new incident')} in the last poll`;
}

function headBlocks(input: DigestCardInput, total: number): CardElement[] {
  const worst = worstFirst(input.incidents)[0]?.severity;
  const breakdown = input.incidents.length >= total && total > 0 ? severityBreakdown(input.incidents) : '';
  return [
    {
      type: 'TextBlock',
      text: title(total),
      size: 'Medium',
      weight: 'Bolder',
      ...(worst === undefined ? {} : { color: SEVERITY_COLOR[worst] }),
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: [formatUtcRange(input.window.from, input.window.to), breakdown].filter((part) => part !== '').join(' · '),
      isSubtle: true,
      wrap: true,
      spacing: 'None',
    },
  ];
}

/** "2 critical, 10 high, 18 medium" – only when every incident is listed, so the numbers add up. */
function severityBreakdown(incidents: readonly DigestIncident[]): string {
  const order: Severity[] = ['critical', 'high', 'medium', 'low'];
  return order
    .map((severity) => ({ severity, count: incidents.filter((incident) => incident.severity === severity).length }))
    .filter(({ count }) => count > 0)
    .map(({ severity, count }) => `${formatNumber(count)} ${severity}`)
    .join(', ');
}

function rowBlock(line: string): CardElement {
  return { type: 'TextBlock', text: line, wrap: true, spacing: 'Small' };
}

function footerBlock(input: DigestCardInput): CardElement {
  return {
    type: 'TextBlock',
    text: `Generated ${formatUtc(input.generatedAt)} · reply /ack \\<id\\> to acknowledge`,
    size: 'Small',
    isSubtle: true,
    wrap: true,
    separator: true,
  };
}

/** "+20 more — /incidents open", or "" when everything is listed. */
function moreLine(hidden: number): string {
  return hidden > 0 ? `+${formatNumber(hidden)} more — /incidents open` : '';
}

function digestFallback(input: DigestCardInput, total: number, lines: readonly string[]): string {
  const head = [`**${title(total)}** (${formatUtcRange(input.window.from, input.window.to)})`];
  const budget = MAX_MARKDOWN_BYTES - FALLBACK_RESERVE_BYTES - utf8ByteLength(head.join('\n'));
  const rows = fitBudget(
    lines.map((line) => `- ${line}`),
    budget,
    (line) => utf8ByteLength(line) + 1,
  );
  const more = moreLine(total - rows.kept.length);
  return truncateUtf8([...head, ...rows.kept, more].filter((line) => line !== '').join('\n'), MAX_MARKDOWN_BYTES);
}
