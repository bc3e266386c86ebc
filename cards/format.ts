/**
 * Small pure text helpers shared by the card builders: cleaning, escaping and truncating text that
 * comes from outside systems, UTC time formatting, and UTF-8 byte budgets for Webex markdown.
 */

/**
 * Characters that start Markdown syntax anywhere in a line: emphasis, code, strike-through, link
 * brackets, HTML and Webex `<@mention>` tags, Adaptive Card `{{DATE()}}` substitutions, and the
 * escape character itself. Common name characters such as `(`, `-`, `&` and `#` are left alone
 * unless their position makes them syntax (see below), so ordinary names stay readable in renderers
 * that show backslashes literally.
 */
const INLINE_MARKDOWN = /[\\`*_~[\]<>{}]/g;

/** A link needs "](": after "]" is escaped, the "(" is escaped too for non-CommonMark renderers. */
const LINK_DESTINATION = /\\]\(/g;

/** Character references such as `&lt;` or `&#60;` would render as the character they name. */
const CHARACTER_REFERENCE = /&(?=#?[a-z0-9]+;)/gi;

/** Block syntax only matters at the start of the text: headings ("# x") and lists ("- x", "1. x"). */
const LEADING_BLOCK_MARKER = /^(?:([#+-])|(\d+)([.)]))(?=\s|$)/;

/**
 * A run of whitespace, control characters and invisible direction marks/overrides, which cleaning
 * makes one space. Bidi overrides can make text display in a different order than it reads
 * ("Trojan Source"), so an IP or name could be spoofed on screen.
 */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point.
const BLANK_RUN = /[\s\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g;
/** A character cleaning keeps. */
// eslint-disable-next-line no-control-regex -- as above.
const VISIBLE = /[^\s\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const ELLIPSIS = '…';

/** Observable types whose dots get defanged; CTIM names plus common aliases. */
const DOTTED_OBSERVABLE_TYPES: ReadonlySet<string> = new Set(['domain', 'hostname', 'url', 'email', 'fqdn']);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** One number formatter for every call: `toLocaleString` builds a new one each time, which adds up in long lists. */
const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const encoder = new TextEncoder();

/**
 * Removes control characters and bidi overrides and collapses all whitespace (including newlines,
 * which could start Markdown blocks) into single spaces.
 */
export function cleanText(text: string): string {
  // One pass: a run of whitespace and unsafe characters becomes one space (the same as replacing
  // each unsafe character by a space and then collapsing whitespace).
  return text.replace(BLANK_RUN, ' ').trim();
}

/**
 * Whether {@link cleanText} would leave nothing. Reads only up to the first visible character, where
 * cleaning reads the whole text (a hostile host-group list can be hundreds of 100 kB names).
 */
export function isBlank(text: string): boolean {
  return !VISIBLE.test(text);
}

/**
 * Backslash-escapes Markdown so the text renders literally in an Adaptive Card `TextBlock` and in
 * Webex message markdown: no links, emphasis, code, headings, lists, HTML or mentions.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_MARKDOWN, '\\$&')
    .replace(LINK_DESTINATION, '\\]\\(')
    .replace(CHARACTER_REFERENCE, '\\&')
    .replace(LEADING_BLOCK_MARKER, (_match, marker: string | undefined, digits: string, delimiter: string) =>
      marker === undefined ? `${digits}\\${delimiter}` : `\\${marker}`,
    );
}

/**
 * Defangs URL schemes the way SOC tools do (`http://x` → `hxxp[:]//x`): clients auto-link bare URLs,
 * so text from outside systems would otherwise still become a clickable link. Apply after
 * {@link escapeMarkdown}: the inserted "[:]" is always followed by "//", so it never forms a link.
 */
export function defangUrls(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, (_match, scheme: string) => {
      return `${scheme.replace(/^(h)tt(p)/i, '$1xx$2')}[:]//`;
    })
    .replace(/\b(www)\./gi, '$1[.]');
}

/**
 * Shortens text to at most `maxCodePoints` code points, ending in "…" when cut. Cuts only between
 * grapheme clusters, so emoji and accented letters are never split.
 */
export function truncate(text: string, maxCodePoints: number): string {
  if (codePointLength(text) <= maxCodePoints) return text;
  // The cut lies within the first maxCodePoints code points: at most two code units each.
  return takeGraphemes(text, maxCodePoints - 1, codePointLength, 2 * maxCodePoints + 2) + ELLIPSIS;
}

/**
 * The one escaping helper for any text a person or an upstream typed (host-group, event and person
 * names, reasons, notes, unknown commands, upstream details), in cards and in chat replies alike:
 * cleaned (control characters, bidi overrides and newlines collapsed, so no heading or list can
 * start), truncated to `maxCodePoints` before escaping, Markdown escaped (no link, emphasis, code,
 * HTML or `<@mention>`), URLs and `www.` defanged.
 */
export function userText(text: string, maxCodePoints: number): string {
  return defangUrls(escapeMarkdown(truncate(cleanText(text), maxCodePoints)));
}

/**
 * An observable for chat or a card: cleaned, truncated, escaped and defanged (`evil[.]example`,
 * `hxxp[:]//…`), so a client cannot turn it into a link; IPs and hashes stay copyable.
 */
export function observableText(type: string, value: string, maxCodePoints = 200): string {
  return defangObservable(type, escapeMarkdown(truncate(cleanText(value), maxCodePoints)));
}

/** Options for {@link formatNameList}. */
export interface NameListOptions {
  /** Names shown before "+N more". */
  maxItems: number;
  /** Each name is truncated to this many code points. */
  maxItemCodePoints: number;
}

/**
 * Joins untrusted names into an escaped, bounded list, e.g. "Servers, DMZ +3 more". Blank names are
 * skipped; an empty list gives "".
 */
export function formatNameList(names: readonly string[], options: NameListOptions): string {
  const present = names.filter((name) => !isBlank(name));
  const shown = present.slice(0, Math.max(0, options.maxItems));
  const list = shown.map((name) => userText(name, options.maxItemCodePoints)).join(', ');
  const hidden = present.length - shown.length;
  if (hidden === 0) return list;
  return list === '' ? `${hidden} more` : `${list} +${hidden} more`;
}

/**
 * Formats a timestamp deterministically in UTC: "23 Nov 2026 14:05 UTC" (`long`), "23 Nov 14:05 UTC"
 * (`short`), "14:05 UTC" (`time`) or "2026-11-23 14:05 UTC" (`iso`, chat replies). Accepts ISO-8601 and SNA's `+0000` offsets; anything unparsable
 * gives "unknown time".
 */
export function formatUtc(timestamp: string, style: 'long' | 'short' | 'time' | 'iso' = 'long'): string {
  const date = parseTime(timestamp);
  if (date === undefined) return 'unknown time';
  // Chat replies: "2026-11-23 14:05 UTC", sortable and unambiguous.
  if (style === 'iso') return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())} UTC`;
  if (style === 'time') return time;
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const year = style === 'long' ? ` ${date.getUTCFullYear()}` : '';
  return `${date.getUTCDate()} ${month}${year} ${time}`;
}

/**
 * Formats `timestamp` relative to an earlier `reference`: just "14:37 UTC" on the same UTC day,
 * else "24 Nov 14:37 UTC". Used for deadlines right after the time they were set.
 */
export function formatUtcAfter(reference: string, timestamp: string): string {
  return formatUtc(timestamp, sameUtcDay(reference, timestamp) ? 'time' : 'short');
}

/** Formats a window: "23 Nov 14:00–14:05 UTC" within one UTC day, else "23 Nov 23:58 UTC – 24 Nov 00:03 UTC". */
export function formatUtcRange(from: string, to: string): string {
  if (sameUtcDay(from, to)) return `${formatUtc(from, 'short').replace(/ UTC$/, '')}–${formatUtc(to, 'time')}`;
  return `${formatUtc(from, 'short')} – ${formatUtc(to, 'short')}`;
}

/** Formats a count with its noun, e.g. "1 event", "1,204 hits". */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

/** Formats a number with thousands separators, independent of the process locale ("1,204"). */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? NUMBER_FORMAT.format(value) : '?';
}

/**
 * Defangs an already escaped observable value the way SOC tools do, so chat clients cannot turn it
 * into a link: URL schemes become "hxxp[:]//" (see {@link defangUrls}) and, for domains, URLs and
 * e-mail addresses, every dot becomes "[.]" ("evil[.]example"). IP addresses and hashes stay as they
 * are, so operators can copy them.
 */
export function defangObservable(type: string, escapedValue: string): string {
  const defanged = defangUrls(escapedValue);
  // Dots already defanged (`www[.]`) are left as they are.
  return DOTTED_OBSERVABLE_TYPES.has(cleanText(type).toLowerCase())
    ? defanged.replace(/(?<!\[)\.(?!\])/g, '[.]')
    : defanged;
}

/**
 * Returns the normalised URL when `raw` is an absolute http(s) URL, else `undefined`. Parentheses are
 * percent-encoded so the result can sit inside a Markdown link destination `[text](url)`.
 */
export function httpUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || !URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.href.replaceAll('(', '%28').replaceAll(')', '%29');
}

/** Length of `text` in UTF-8 bytes, the unit Webex uses for message limits. */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Shortens text to at most `maxBytes` UTF-8 bytes, ending in "…" when cut. Cuts between grapheme
 * clusters and never leaves a dangling Markdown escape backslash at the end.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  const budget = maxBytes - utf8ByteLength(ELLIPSIS);
  if (budget < 0) return '';
  // Every code unit is at least one UTF-8 byte: the cut lies within the first maxBytes code units.
  const kept = takeGraphemes(text, budget, utf8ByteLength, maxBytes + 1);
  return dropDanglingEscape(kept) + ELLIPSIS;
}

function parseTime(timestamp: string): Date | undefined {
  const date = new Date(Date.parse(timestamp.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function sameUtcDay(first: string, second: string): boolean {
  const [a, b] = [parseTime(first), parseTime(second)];
  return a !== undefined && b !== undefined && a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);
}

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

/**
 * Longest prefix made of whole grapheme clusters whose `measure` stays within `budget`. Only the
 * first `reach` code units are segmented (Intl.Segmenter slows down with the length of the whole
 * text: 5.7 s for a 7 kB cut of a 147 kB hostile field): `reach` must hold more than `budget`
 * measures, so the cluster the slice may have cut in two is never the one kept last.
 */
function takeGraphemes(text: string, budget: number, measure: (part: string) => number, reach: number): string {
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text.slice(0, reach))) {
    const size = measure(segment);
    if (used + size > budget) break;
    kept += segment;
    used += size;
  }
  return kept;
}

/** A cut right after an escaping backslash would escape the ellipsis instead; drop that backslash. */
function dropDanglingEscape(text: string): string {
  const trailing = /\\+$/.exec(text)?.[0].length ?? 0;
  return trailing % 2 === 1 ? text.slice(0, -1) : text;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
