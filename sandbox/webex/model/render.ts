/**
 * Turns the markdown a client sends into the `text`, `html` and mention lists
 * Webex stores, the way Webex does for the parts bots use: `<@personId:…>`,
 * `<@personEmail:…>` and `<@all>` mentions, bold, italics, inline code, links.
 * Anything fancier is passed through as text.
 */

/** Looks a mentioned person up by id or email; returns their id and display name. */
export type MentionResolver = (
  kind: 'personId' | 'personEmail',
  value: string,
) => { id: string; displayName: string } | undefined;

/** What Webex derives from a markdown message. */
export interface RenderedMarkdown {
  text: string;
  html: string;
  mentionedPeople: string[];
  mentionedGroups: string[];
}

/** Marks a mention while the rest is formatted (a private-use character, never in real text). */
const PLACEHOLDER = '\uE000';
const PLACEHOLDERS = /\uE000(\d+)\uE000/g;

const MENTION = /<@(personId|personEmail):([^|>]+)(?:\|([^>]*))?>|<@all>/g;

/** Escapes text for HTML, leaving character entities that are already there. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&(?!#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function decodeEntities(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function inlineToHtml(segment: string): string {
  return escapeHtml(segment)
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>')
    .replace(
      /\*\*(.+?)\*\*|__(.+?)__/g,
      (_m, a: string | undefined, b: string | undefined) => `<strong>${a ?? b}</strong>`,
    )
    .replace(/(^|[^*\w])\*(?!\s)(.+?)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\r?\n/g, '<br/>');
}

function inlineToText(segment: string): string {
  return decodeEntities(
    segment
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1')
      .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_m, a: string | undefined, b: string | undefined) => a ?? b ?? '')
      .replace(/(^|[^*\w])\*(?!\s)(.+?)\*(?!\w)/g, '$1$2')
      .replace(/`([^`]+)`/g, '$1'),
  );
}

/** Renders markdown into Webex's `text`, `html`, `mentionedPeople` and `mentionedGroups`. */
export function renderMarkdown(markdown: string, resolve: MentionResolver): RenderedMarkdown {
  const mentions: { text: string; html: string }[] = [];
  const mentionedPeople: string[] = [];
  const mentionedGroups: string[] = [];
  // Mentions become placeholders first, so formatting around them (`**<@…>**`) still applies.
  const withPlaceholders = markdown.replace(
    MENTION,
    (whole: string, kind: string | undefined, value: string | undefined, label: string | undefined) => {
      if (whole === '<@all>') {
        mentions.push({
          text: 'All',
          html: '<spark-mention data-object-type="groupMention" data-group-type="all">All</spark-mention>',
        });
        if (!mentionedGroups.includes('all')) mentionedGroups.push('all');
      } else {
        const person = resolve(kind === 'personEmail' ? 'personEmail' : 'personId', value ?? '');
        const shown = label || person?.displayName || value || '';
        const html = person
          ? `<spark-mention data-object-type="person" data-object-id="${person.id}">${escapeHtml(shown)}</spark-mention>`
          : escapeHtml(shown);
        mentions.push({ text: shown, html });
        if (person && !mentionedPeople.includes(person.id)) mentionedPeople.push(person.id);
      }
      return `${PLACEHOLDER}${mentions.length - 1}${PLACEHOLDER}`;
    },
  );
  const restore = (rendered: string, field: 'text' | 'html'): string =>
    rendered.replace(PLACEHOLDERS, (_m, index: string) => mentions[Number(index)]?.[field] ?? '');
  return {
    text: restore(inlineToText(withPlaceholders), 'text'),
    html: `<p>${restore(inlineToHtml(withPlaceholders), 'html')}</p>`,
    mentionedPeople,
    mentionedGroups,
  };
}

/** The `html` of a message a user typed in a client, starting with an @mention. */
export function mentionHtml(person: { id: string; displayName: string }, rest: string): string {
  const mention = `<spark-mention data-object-type="person" data-object-id="${person.id}">${escapeHtml(person.displayName)}</spark-mention>`;
  return `<p>${mention}${rest ? ` ${escapeHtml(rest)}` : ''}</p>`;
}
