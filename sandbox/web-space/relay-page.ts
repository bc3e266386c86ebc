/**
 * The demo's window on the XDR relay module: what XDR gets when it asks the bot about an address,
 * the bot's real answers to `observe`, `refer` and `respond`, called with a JWT the XDR simulator
 * signed, shown as JSON.
 */
import { escapeHtml } from './page/markdown.js';

/** One relay call and its answer. */
export interface RelayAnswer {
  endpoint: string;
  status: number;
  body: unknown;
}

/** What the relay answered about one address, and the token's claims. */
export interface RelayReport {
  ip: string;
  /** The claims of the JWT the calls carried (the signed token itself is not shown). */
  claims: Record<string, unknown>;
  answers: RelayAnswer[];
}

/** A small self-contained HTML page for the report (or for a demo without the relay). */
export function relayPage(ip: string, report: RelayReport | undefined): string {
  const sections = (report?.answers ?? [])
    .map(
      (a) => `<h2>POST /relay${escapeHtml(a.endpoint)} <small>${a.status}</small></h2>
<pre>${escapeHtml(JSON.stringify(a.body, null, 2))}</pre>`,
    )
    .join('\n');
  const body = report
    ? `<p class="note">What Cisco XDR receives from the SNA ChatOps relay module for <code>${escapeHtml(ip)}</code>:
the bot's own answers, called with a JWT the XDR simulator signed (claims below), as XDR would call them.</p>
<pre>${escapeHtml(JSON.stringify(report.claims, null, 2))}</pre>
${sections}`
    : '<p>The relay module is not running in this demo.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>XDR relay · ${escapeHtml(ip)}</title>
<style>
body{font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;margin:24px;color:#121212}
.note{background:#e6f2fb;border-radius:8px;padding:8px 12px;color:#0a4f85}
pre{background:#f5f5f5;border-radius:6px;padding:10px;overflow:auto;font-size:12px}
h2{font-size:15px;margin-top:20px}small{color:#666;font-weight:normal}
</style></head><body>
<h1>XDR relay · ${escapeHtml(ip)}</h1>
${body}
</body></html>`;
}
