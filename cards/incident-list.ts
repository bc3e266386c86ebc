/**
 * The `/incidents` answer: one compact two-line row per incident, in the order the bot sorted them,
 * with "+N more" when the list is longer than a phone screen should be. No buttons: each row shows
 * the id that `/ack <id>` and the other commands take.
 */
import { adaptiveCard, fitBudget, jsonBytes, severityLabel } from './common.js';
import { formatNumber, formatUtc, truncateUtf8, userText, utf8ByteLength } from './format.js';
import type { CardElement, IncidentListInput, IncidentListItem, RenderedCard } from './types.js';
import { MAX_CARD_JSON_BYTES, MAX_MARKDOWN_BYTES } from './types.js';

/** Code-point limits for text from outside systems (before escaping) and the number of rows shown. */
const LIMITS = {
  title: 80,
  rowsShown: 12,
  host: 45,
  eventName: 60,
  assignee: 40,
  incidentId: 64,
} as const;

/** Card JSON kept free for the "+N more" line and rounding. */
const CARD_RESERVE_BYTES = 400;

/** Fallback bytes kept free for the "+N more" line and the ellipsis. */
const FALLBACK_RESERVE_BYTES = 120;

const STATE_LABEL: Readonly<Record<IncidentListItem['state'], string>> = {
  open: 'Open',
  acked: 'Acked',
  resolved: '✅ Resolved',
};

/** One incident as two escaped lines: what and where, then state and id. */
interface RowView {
  headline: string;
  details: string;
}

/**
 * Renders a list of incidents as compact rows: severity, host and event on the first line; state,
 * assignee, last activity, snooze and id on the second. Pure; text from outside systems is escaped,
 * rows are capped (and cut further to keep the card under 20 KB) with "+N more", and the fallback
 * fits Webex's 7439-byte limit.
 */
export function incidentListCard(input: IncidentListInput): RenderedCard {
  const total = Math.max(Number.isFinite(input.total) ? Math.trunc(input.total) : 0, input.incidents.length);
  const rows = input.incidents.slice(0, LIMITS.rowsShown).map(rowView);
  const title = userText(input.title, LIMITS.title) || 'Incidents';
  const head = headBlocks(title, input.generatedAt, total, rows.length);
  const budget = MAX_CARD_JSON_BYTES - jsonBytes(adaptiveCard(head)) - CARD_RESERVE_BYTES;
  const shown = fitBudget(rows.map(rowContainer), budget, jsonBytes);
  const more = moreLine(total - shown.kept.length);
  const body: CardElement[] = [
    ...head,
    ...shown.kept,
    ...(more === '' ? [] : [{ type: 'TextBlock', text: more, isSubtle: true, wrap: true, separator: true }]),
  ];
  if (total === 0) body.push({ type: 'TextBlock', text: 'No incidents.', wrap: true, separator: true });
  return { card: adaptiveCard(body), fallbackText: listFallback(title, total, rows) };
}

function rowView(incident: IncidentListItem): RowView {
  const assignee = incident.assignee === undefined ? '' : userText(incident.assignee, LIMITS.assignee);
  const snoozed = incident.snoozedUntil === undefined ? '' : `💤 until ${formatUtc(incident.snoozedUntil, 'short')}`;
  return {
    headline: [
      `**${severityLabel(incident.severity)}**`,
      userText(incident.host, LIMITS.host) || 'unknown host',
      userText(incident.eventName, LIMITS.eventName) || 'unnamed event',
    ].join(' · '),
    details: [
      STATE_LABEL[incident.state],
      assignee === '' ? '' : `👤 ${assignee}`,
      `last ${formatUtc(incident.lastActive, 'short')}`,
      snoozed,
      `id ${userText(incident.incidentId, LIMITS.incidentId)}`,
    ]
      .filter((part) => part !== '')
      .join(' · '),
  };
}

/** Title, then "Showing 12 of 42 · 23 Nov 2026 14:07 UTC". */
function headBlocks(title: string, generatedAt: string, total: number, rows: number): CardElement[] {
  const count = rows < total ? `Showing ${formatNumber(rows)} of ${formatNumber(total)}` : countOf(total);
  return [
    { type: 'TextBlock', text: title, size: 'Medium', weight: 'Bolder', wrap: true },
    {
      type: 'TextBlock',
      text: `${count} · ${formatUtc(generatedAt)}`,
      isSubtle: true,
      wrap: true,
      spacing: 'None',
    },
  ];
}

function countOf(total: number): string {
  return `${formatNumber(total)} ${total === 1 ? 'incident' : 'incidents'}`;
}

function rowContainer(row: RowView): CardElement {
  return {
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: row.headline, wrap: true },
      { type: 'TextBlock', text: row.details, size: 'Small', isSubtle: true, wrap: true, spacing: 'None' },
    ],
  };
}

/** "+30 more", or "" when everything is listed. */
function moreLine(hidden: number): string {
  return hidden > 0 ? `+${formatNumber(hidden)} more` : '';
}

function listFallback(title: string, total: number, rows: readonly RowView[]): string {
  const head = `**${title}** (${countOf(total)})`;
  const budget = MAX_MARKDOWN_BYTES - FALLBACK_RESERVE_BYTES - utf8ByteLength(head);
  const lines = fitBudget(
    rows.map((row) => `- ${row.headline} · ${row.details}`),
    budget,
    (line) => utf8ByteLength(line) + 1,
  );
  const more = moreLine(total - lines.kept.length);
  const empty = total === 0 ? 'No incidents.' : '';
  return truncateUtf8([head, ...lines.kept, more, empty].filter((line) => line !== '').join('\n'), MAX_MARKDOWN_BYTES);
}
