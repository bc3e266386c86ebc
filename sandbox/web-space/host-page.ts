/**
 * The demo's stand-in for the SMC's host page: the card's "Open in SMC" button lands here and
 * sees what the SMC simulator holds about the host. A real deployment links to the real SMC.
 */
import { escapeHtml } from './page/markdown.js';

/** What the SMC knows about one inside host. */
export interface HostReport {
  ip: string;
  hostGroups: string[];
  events: HostReportEvent[];
}

/** One security event of the host, ready to show. */
export interface HostReportEvent {
  id: number;
  type: string;
  peer: string;
  points: string;
  hits: number;
  firstActive: string;
  lastActive: string;
}

/** A small self-contained HTML page for the report (or for an unknown host). */
export function hostPage(ip: string, report: HostReport | undefined, relayLink = false): string {
  const rows = (report?.events ?? [])
    .map((e) =>
      [e.id, e.type, e.peer, e.points, e.hits, e.firstActive, e.lastActive]
        .map((cell) => `<td>${escapeHtml(String(cell))}</td>`)
        .join(''),
    )
    .map((cells) => `<tr>${cells}</tr>`)
    .join('');
  const body = report
    ? `<p>Host groups: ${escapeHtml(report.hostGroups.join(', ') || 'none')}</p>
<table><thead><tr><th>Event</th><th>Type</th><th>Peer</th><th>Points</th><th>Hits</th><th>First active</th><th>Last active</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : '<p>The SMC simulator has no security events for this host.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host ${escapeHtml(ip)} · SMC simulator</title>
<style>
body{font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;margin:24px;color:#121212}
.note{background:#e6f2fb;border-radius:8px;padding:8px 12px;color:#0a4f85}
table{border-collapse:collapse;margin-top:12px;font-size:13px}th,td{border-bottom:1px solid #e2e2e2;padding:6px 10px;text-align:left}
</style></head><body>
<h1>Host ${escapeHtml(ip)}</h1>
<p class="note">Demo stand-in for the SMC host report: in production, "Open in SMC" opens your SMC's page for this host.</p>
${body}
${relayLink ? `<p><a href="/xdr/relay/${encodeURIComponent(ip)}">What Cisco XDR sees about ${escapeHtml(ip)} (the bot's relay module)</a></p>` : ''}
</body></html>`;
}
