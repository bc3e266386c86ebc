/**
 * The digest: when one poll brings many new incidents, one card names them all instead of posting a
 * card each. Rows are grouped by event type (and host group where that helps), worst first, one
 * compact line each: severity · host · peer · points · id. When the rows do not all fit Webex's
 * limits, the card carries the most severe ones and a button that posts the rest as a list threaded
 * under it, page by page, each page within the same limits. Every message of a digest offers
 * "Open card": the chosen host's own alert card, with all of its buttons.
 */
import { adaptiveCard, jsonBytes, SEVERITY_COLOR, SEVERITY_RANK, severityLabel } from './common.js';
import {
  cleanText,
  formatCount,
  formatNumber,
  formatUtc,
  formatUtcRange,
  truncateUtf8,
  userText,
  utf8ByteLength,
} from './format.js';
import type {
  CardAction,
  CardElement,
  DigestCardInput,
  DigestMessage,
  DigestRow,
  Severity,
  SubmitData,
} from './types.js';
import { CARD_DATA_VERSION, MAX_CARD_JSON_BYTES, MAX_MARKDOWN_BYTES } from './types.js';

/** The digest's card verbs (one action file each in the bot) and the input the Open button reads. */
export const DIGEST_ACTIONS = { open: 'digest-open', list: 'digest-hosts' } as const;
export const DIGEST_OPEN_INPUT = 'openIncident';

/** Code-point limits for text from outside systems (before escaping). */
const LIMITS = {
  host: 45,
  peer: 45,
  eventName: 60,
  hostGroup: 40,
  incidentId: 64,
} as const;

/** An event type's rows are split by host group only when that gives a few groups, not one per host. */
const MAX_HOST_GROUP_SECTIONS = 6;

/** One row, rendered once and reused by the card, the fallback and the Open list. */
interface RowView {
  incidentId: string;
  severity: Severity;
  sectionKey: string;
  section: string;
  line: string;
  choice: string;
}

interface Header {
  title: string;
  color?: Severity | undefined;
  subtitle: string;
  note?: string | undefined;
}

/**
 * Renders the digest card. Pure: every row's text from outside systems is escaped, the card stays
 * under the card budget and its fallback within Webex's 7,439 bytes; rows that do not fit are
 * offered by a "List the other N" button, never dropped.
 */
export function digestCard(input: DigestCardInput): DigestMessage {
  const { rows, onCard } = planCard(input);
  return bounded(renderCard(input, rows, onCard));
}

/**
 * The rows the digest card could not carry, as pages to post threaded under it (empty when the
 * card names everything). Deterministic: the same input always gives the same pages.
 */
export function digestListPages(input: DigestCardInput): DigestMessage[] {
  const { rows, onCard } = planCard(input);
  const pages = planPages(input, rows, onCard);
  return pages.map(([start, end], n) => bounded(renderPage(input, rows, start, end, n, pages.length)));
}

/** The planned messages fit already; this only guarantees Webex's fallback limit whatever happens. */
function bounded(message: DigestMessage): DigestMessage {
  return { ...message, fallbackText: truncateUtf8(message.fallbackText, MAX_MARKDOWN_BYTES) };
}

/** Every row, worst first, and how many of them the card carries. */
function planCard(input: DigestCardInput): { rows: RowView[]; onCard: number } {
  const rows = rowViews(input.incidents);
  return { rows, onCard: largestFitting(rows, 0, (k) => renderCard(input, rows, k)) };
}

/** `[start, end)` indexes into `rows`, one pair per list page. */
function planPages(input: DigestCardInput, rows: readonly RowView[], onCard: number): Array<[number, number]> {
  const pages: Array<[number, number]> = [];
  // Page headers are sized for the largest page numbers first, so the final numbering still fits.
  const worstCase = rows.length - onCard;
  for (let start = onCard; start < rows.length;) {
    const first = start;
    const end =
      first + largestFitting(rows, first, (k) => renderPage(input, rows, first, first + k, worstCase, worstCase));
    pages.push([first, end]);
    start = end;
  }
  return pages;
}

/**
 * The largest `k` (1 at least, 0 when no rows are left) such that the message of the `k` rows from
 * `start` fits Webex's limits. Rows whose own text alone would overflow the card are never tried: a
 * card's JSON holds each row's line and Open choice at least, so a long burst costs a few small
 * renders, not one of every row.
 */
function largestFitting(rows: readonly RowView[], start: number, render: (k: number) => DigestMessage): number {
  let n = 0;
  for (let used = 0; start + n < rows.length; n += 1) {
    const row = rows[start + n] as RowView;
    used += utf8ByteLength(row.line) + utf8ByteLength(row.choice);
    if (n > 0 && used > MAX_CARD_JSON_BYTES) break;
  }
  if (n === 0) return 0;
  if (fits(render(n))) return n;
  let low = 1;
  let high = n - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(render(mid))) low = mid;
    else high = mid - 1;
  }
  return low;
}

function fits(message: DigestMessage): boolean {
  return jsonBytes(message.card) <= MAX_CARD_JSON_BYTES && utf8ByteLength(message.fallbackText) <= MAX_MARKDOWN_BYTES;
}

function renderCard(input: DigestCardInput, rows: readonly RowView[], onCard: number): DigestMessage {
  const total = rows.length;
  const rest = total - onCard;
  const header: Header = {
    title: `${formatCount(total, 'new incident')} in the last poll`,
    color: rows[0]?.severity,
    subtitle: [formatUtcRange(input.window.from, input.window.to), severityBreakdown(rows)]
      .filter((part) => part !== '')
      .join(' · '),
    note:
      rest > 0
        ? `The ${formatNumber(onCard)} most severe are below; “${listTitle(rest)}” posts the other ${formatNumber(rest)} in this thread.`
        : undefined,
  };
  const shown = rows.slice(0, onCard);
  const extra: CardAction[] = rest > 0 ? [submit(listTitle(rest), DIGEST_ACTIONS.list, shown[0]?.incidentId)] : [];
  const fallbackMore =
    rest > 0 ? `The other ${formatNumber(rest)} are listed in this thread (“${listTitle(rest)}”).` : '';
  return renderMessage(input, header, shown, extra, fallbackMore);
}

function renderPage(
  input: DigestCardInput,
  rows: readonly RowView[],
  start: number,
  end: number,
  index: number,
  pageCount: number,
): DigestMessage {
  const header: Header = {
    title: `The last poll's new incidents, continued (${formatNumber(index + 1)} of ${formatNumber(pageCount)})`,
    subtitle: `${formatUtcRange(input.window.from, input.window.to)} · ${formatNumber(start + 1)}–${formatNumber(end)} of ${formatNumber(rows.length)}, worst first`,
  };
  return renderMessage(input, header, rows.slice(start, end), [], '');
}

function renderMessage(
  input: DigestCardInput,
  header: Header,
  shown: readonly RowView[],
  extraActions: CardAction[],
  fallbackMore: string,
): DigestMessage {
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: header.title,
      size: 'Medium',
      weight: 'Bolder',
      ...(header.color === undefined ? {} : { color: SEVERITY_COLOR[header.color] }),
      wrap: true,
    },
    { type: 'TextBlock', text: header.subtitle, isSubtle: true, wrap: true, spacing: 'None' },
    ...(header.note === undefined ? [] : [{ type: 'TextBlock', text: header.note, wrap: true, spacing: 'Small' }]),
    ...sections(shown).flatMap(({ title, rows }) => [
      { type: 'TextBlock', text: title, weight: 'Bolder', wrap: true, separator: true, spacing: 'Medium' },
      ...rows.map((row) => ({ type: 'TextBlock', text: row.line, wrap: true, spacing: 'Small' })),
    ]),
  ];
  const actions: CardAction[] = [];
  if (shown.length > 0) {
    body.push({
      type: 'Input.ChoiceSet',
      id: DIGEST_OPEN_INPUT,
      style: 'compact',
      placeholder: 'Pick a host for its own card',
      choices: shown.map((row) => ({ title: row.choice, value: row.incidentId })),
      separator: true,
    });
    actions.push(submit('Open card', DIGEST_ACTIONS.open, shown[0]?.incidentId));
  }
  body.push({
    type: 'TextBlock',
    text: `Generated ${formatUtc(input.generatedAt)} · /incident \\<id\\> also opens one`,
    size: 'Small',
    isSubtle: true,
    wrap: true,
  });
  return {
    card: adaptiveCard(body, [...actions, ...extraActions]),
    fallbackText: fallback(header, shown, fallbackMore),
    incidentIds: shown.map((row) => row.incidentId),
  };
}

function submit(title: string, action: string, incidentId: string | undefined): CardAction {
  const data: SubmitData = { action, v: CARD_DATA_VERSION, incidentId: incidentId ?? '' };
  return { type: 'Action.Submit', title, data };
}

/** "List the other 880" */
function listTitle(rest: number): string {
  return `List the other ${formatNumber(rest)}`;
}

/** Consecutive rows under their section titles, sections in order of their worst row. */
function sections(rows: readonly RowView[]): Array<{ title: string; rows: RowView[] }> {
  const byKey = new Map<string, { title: string; rows: RowView[] }>();
  for (const row of rows) {
    const section = byKey.get(row.sectionKey);
    if (section) section.rows.push(row);
    else byKey.set(row.sectionKey, { title: row.section, rows: [row] });
  }
  return [...byKey.values()];
}

/** Worst first: severity, then points, then events; ties keep the input order. */
function rowViews(incidents: readonly DigestRow[]): RowView[] {
  const sorted = [...incidents].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (b.points ?? -1) - (a.points ?? -1) ||
      b.eventCount - a.eventCount,
  );
  const sectionOf = sectioning(incidents);
  return sorted.map((row) => {
    const { key, title } = sectionOf(row);
    const host = userText(row.host, LIMITS.host) || 'unknown host';
    return {
      incidentId: row.incidentId,
      severity: row.severity,
      sectionKey: key,
      section: title,
      line: rowLine(row, host),
      choice: `${host} · ${severityLabel(row.severity)} · ${userText(row.eventName, LIMITS.eventName) || 'unnamed event'}`,
    };
  });
}

/** "**HIGH** · 10.0.0.5 · 203.0.113.7 +2 · 1,250 pts · id k3m9x2ab" */
function rowLine(row: DigestRow, host: string): string {
  const peer = row.peer === undefined ? '' : userText(row.peer, LIMITS.peer);
  const others = row.otherPeers !== undefined && row.otherPeers > 0 ? ` +${formatNumber(row.otherPeers)}` : '';
  return [
    `**${severityLabel(row.severity)}**`,
    host,
    peer === '' ? 'no peer' : `${peer}${others}`,
    row.points === undefined ? '' : `${formatNumber(row.points)} pts`,
    `id ${userText(row.incidentId, LIMITS.incidentId)}`,
  ]
    .filter((part) => part !== '')
    .join(' · ');
}

/**
 * Sections: one per event type; the type's host group joins the title when all its rows share one,
 * and splits it when its rows fall into a few groups (2–6). With more groups than that, one section
 * per group would be a section per host, so the type stays whole.
 */
function sectioning(incidents: readonly DigestRow[]): (row: DigestRow) => { key: string; title: string } {
  const groupsByType = new Map<string, Set<string>>();
  for (const row of incidents) {
    const type = cleanText(row.eventName);
    const groups = groupsByType.get(type) ?? new Set<string>();
    groups.add(cleanText(row.hostGroup ?? ''));
    groupsByType.set(type, groups);
  }
  return (row) => {
    const type = cleanText(row.eventName);
    const groups = groupsByType.get(type)?.size ?? 1;
    const group = cleanText(row.hostGroup ?? '');
    const typeTitle = userText(row.eventName, LIMITS.eventName) || 'Unnamed event';
    if (groups > MAX_HOST_GROUP_SECTIONS || (groups === 1 && group === '')) return { key: type, title: typeTitle };
    const groupTitle = group === '' ? 'no host group' : userText(group, LIMITS.hostGroup);
    return { key: `${type}\u0000${group}`, title: `${typeTitle} · ${groupTitle}` };
  };
}

/** "2 critical, 10 high, 18 medium" */
function severityBreakdown(rows: readonly RowView[]): string {
  const order: Severity[] = ['critical', 'high', 'medium', 'low'];
  return order
    .map((severity) => ({ severity, count: rows.filter((row) => row.severity === severity).length }))
    .filter(({ count }) => count > 0)
    .map(({ severity, count }) => `${formatNumber(count)} ${severity}`)
    .join(', ');
}

function fallback(header: Header, shown: readonly RowView[], more: string): string {
  const lines = [
    `**${header.title}** (${header.subtitle})`,
    ...sections(shown).flatMap(({ title, rows }) => [`**${title}**`, ...rows.map((row) => `- ${row.line}`)]),
    more,
  ];
  return lines.filter((line) => line !== '').join('\n');
}
