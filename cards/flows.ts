/**
 * The `/flows <ip>` answer: the host's top peers by bytes within a window, from the SMC's flow
 * records. Each peer is a compact three-line row that reads at phone width: peer and service, where
 * it is and the bytes each way, when it was seen. Pure; every upstream string is escaped.
 */
import { adaptiveCard } from './common.js';
import { formatCount, formatNumber, formatUtc, formatUtcRange, isBlank, truncateUtf8, userText } from './format.js';
import type { CardElement, FlowPeerRow, FlowsCardInput, RenderedCard, TopTalker } from './types.js';
import { MAX_MARKDOWN_BYTES } from './types.js';

/** Rows shown at most, and code-point limits for upstream text before escaping. */
const LIMITS = { rows: 10, ip: 45, where: 60, protocol: 12 } as const;

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes in decimal units, e.g. "4.2 MB", "980 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = unit === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}

/** "443/tcp", "udp" or "" from a port and protocol. */
export function serviceText(port: number | undefined, protocol: string | undefined): string {
  const proto = protocol === undefined ? '' : userText(protocol.toLowerCase(), LIMITS.protocol);
  if (port === undefined || port <= 0) return proto;
  return proto === '' ? String(port) : `${port}/${proto}`;
}

/** "203.0.113.45:443/tcp 4.2 MB · 198.51.100.77:22/tcp 10 kB": the alert card's "Top talkers" value. */
export function topTalkersText(talkers: readonly TopTalker[], shown = 3): string {
  return talkers
    .slice(0, shown)
    .map((t) => {
      const ip = userText(t.ip, LIMITS.ip);
      const port = t.port !== undefined && t.port > 0 ? `:${t.port}` : '';
      const address = port !== '' && ip.includes(':') ? `[${ip}]` : ip;
      const proto =
        t.protocol === undefined || isBlank(t.protocol)
          ? ''
          : `/${userText(t.protocol.toLowerCase(), LIMITS.protocol)}`;
      return `${address}${port}${proto} ${formatBytes(t.bytes)}`;
    })
    .join(' · ');
}

interface RowView {
  headline: string;
  bytes: string;
  seen: string;
}

/** Renders the top peers card and its Markdown fallback (within Webex's 7439 bytes). */
export function flowsCard(input: FlowsCardInput): RenderedCard {
  const ip = userText(input.ip, LIMITS.ip) || 'unknown host';
  const window = formatUtcRange(input.window.from, input.window.to);
  const rows = input.peers.slice(0, LIMITS.rows).map(rowView);
  const summary = [
    formatCount(input.totals.peers, 'peer'),
    formatCount(input.totals.flows, 'flow'),
    `↑ ${formatBytes(input.totals.sent)} ↓ ${formatBytes(input.totals.received)}`,
  ].join(' · ');
  const body: CardElement[] = [
    { type: 'TextBlock', text: `Top peers of ${ip}`, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: `${window} · ${summary}`, isSubtle: true, wrap: true, spacing: 'None' },
    ...rows.map(rowContainer),
  ];
  const notes = notesOf(input);
  for (const note of notes) body.push({ type: 'TextBlock', text: note, isSubtle: true, size: 'Small', wrap: true });
  if (rows.length === 0) {
    body.push({ type: 'TextBlock', text: 'No flows in this window.', wrap: true, separator: true });
  }
  body.push({
    type: 'TextBlock',
    text: `↑ sent by ${ip} · ↓ received · made ${formatUtc(input.generatedAt, 'short')}`,
    size: 'Small',
    isSubtle: true,
    wrap: true,
  });
  return { card: adaptiveCard(body), fallbackText: fallback(ip, window, summary, rows, notes) };
}

function rowView(row: FlowPeerRow): RowView {
  const peer = userText(row.peer, LIMITS.ip) || 'unknown peer';
  const service = serviceText(row.port, row.protocol);
  const where = userText(row.where, LIMITS.where);
  return {
    headline: `**${peer}**${service === '' ? '' : ` · ${service}`}`,
    bytes: [where, `↑ ${formatBytes(row.sent)}`, `↓ ${formatBytes(row.received)}`].filter((p) => p !== '').join(' · '),
    seen: `seen ${formatUtcRange(row.firstSeen, row.lastSeen)}`,
  };
}

function rowContainer(row: RowView): CardElement {
  return {
    type: 'Container',
    separator: true,
    spacing: 'Small',
    items: [
      { type: 'TextBlock', text: row.headline, wrap: true },
      { type: 'TextBlock', text: row.bytes, wrap: true, spacing: 'None' },
      { type: 'TextBlock', text: row.seen, isSubtle: true, size: 'Small', wrap: true, spacing: 'None' },
    ],
  };
}

function notesOf(input: FlowsCardInput): string[] {
  const notes: string[] = [];
  const hidden = input.peers.length - Math.min(input.peers.length, LIMITS.rows);
  if (hidden > 0) notes.push(`+${formatNumber(hidden)} more peers`);
  if (input.capped) notes.push('The SMC returned as many flow records as asked for: there may be more.');
  return notes;
}

function fallback(ip: string, window: string, summary: string, rows: RowView[], notes: string[]): string {
  const lines = [
    `**Top peers of ${ip}** · ${window}`,
    summary,
    ...rows.map((r) => `${r.headline} · ${r.bytes} · ${r.seen}`),
    ...notes,
    rows.length === 0 ? 'No flows in this window.' : '',
  ];
  return truncateUtf8(lines.filter((l) => l !== '').join('\n'), MAX_MARKDOWN_BYTES);
}
