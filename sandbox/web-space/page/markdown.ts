/**
 * A minimal, escaping Markdown renderer for chat messages: paragraphs, line breaks, bullet and
 * numbered lists, fenced code, **bold**, *italics*, `code`, http(s) links and Webex mentions
 * (`<@personId:…|Name>`, `<@personEmail:…>`, `<@all>`). Character entities (`&lt;ip&gt;`) are
 * decoded first, as Webex shows them decoded; then every character is escaped before any tag is
 * added, and only the tags above are ever produced, so the result is safe to assign to
 * `innerHTML`. Pure: no DOM, so it runs (and is tested) in Node too.
 */

/** Finds the name to show for a mention without a label. */
export type MentionNamer = (kind: 'personId' | 'personEmail', value: string) => string | undefined;

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  mentionName?: MentionNamer;
}

/** Private-use characters that delimit placeholders; stripped from the source first. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const LIST_ITEM = /^\s{0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/;
const FENCE = /^\s{0,3}```/;

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The URL if it is an absolute http(s) URL, else undefined (no `javascript:`, `data:`, relative…). */
export function safeHttpUrl(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Renders chat Markdown to safe HTML. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const lines = decodeEntities(source)
    .replace(/[\uE000\uE001]/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;

  const flushParagraph = (): void => {
    if (paragraph.length > 0) blocks.push(`<p>${paragraph.map((l) => inline(l, options)).join('<br>')}</p>`);
    paragraph = [];
  };
  const flushList = (): void => {
    if (!list) return;
    const tag = list.ordered ? 'ol' : 'ul';
    blocks.push(`<${tag}>${list.items.map((item) => `<li>${inline(item, options)}</li>`).join('')}</${tag}>`);
    list = undefined;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (FENCE.test(line)) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      for (index += 1; index < lines.length && !FENCE.test(lines[index] ?? ''); index += 1)
        code.push(lines[index] ?? '');
      blocks.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flushParagraph();
      const ordered = /\d/.test(item[1] ?? '');
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push(item[2] ?? '');
    } else if (line.trim() === '') {
      flushParagraph();
      flushList();
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return blocks.join('');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the named entities above and numeric ones (`&#39;`, `&#x27;`); anything else stays as typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole: string, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Inline formatting of one line: code, mentions and links are set aside first, then the rest is escaped. */
function inline(text: string, options: MarkdownOptions): string {
  const saved: string[] = [];
  const keep = (html: string): string => `${OPEN}${saved.push(html) - 1}${CLOSE}`;

  let out = text.replace(/`([^`]+)`/g, (_m, code: string) => keep(`<code>${escapeHtml(code)}</code>`));
  out = out.replace(
    /<@(personId|personEmail):([^|>]+)(?:\|([^>]*))?>|<@all>/g,
    (whole: string, kind: string | undefined, value: string | undefined, label: string | undefined) => {
      const name =
        whole === '<@all>'
          ? 'All'
          : label || options.mentionName?.(kind === 'personEmail' ? 'personEmail' : 'personId', value ?? '') || value;
      return keep(`<span class="mention">${escapeHtml(name ?? '')}</span>`);
    },
  );
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole: string, label: string, href: string) => {
    const url = safeHttpUrl(href);
    return url ? keep(anchor(url, emphasis(escapeHtml(label)))) : whole;
  });
  out = out.replace(/\bhttps?:\/\/[^\s<>"'\uE000]+/gi, (found: string) => {
    const trimmed = found.replace(/[.,;:!?)\]]+$/, '');
    const url = safeHttpUrl(trimmed);
    return url ? keep(anchor(url, escapeHtml(trimmed))) + found.slice(trimmed.length) : found;
  });
  out = emphasis(escapeHtml(out));
  return out.replace(PLACEHOLDER, (_m, index: string) => saved[Number(index)] ?? '');
}

function anchor(url: string, labelHtml: string): string {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
}

/** Bold and italics over already escaped text. */
function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?!\s)([^*]+?)\*\*|__(?!\s)([^_]+?)__/g, (_m, a?: string, b?: string) => `<strong>${a ?? b}</strong>`)
    .replace(/(^|[^\w*])\*(?![\s*])([^*]+?)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?![\s_])([^_]+?)_(?!\w)/g, '$1<em>$2</em>');
}
