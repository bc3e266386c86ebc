/**
 * Turns a chat message into a command name and its raw arguments. Accepts `/status`,
 * `status` and `@Bot status` (Webex puts the mention, as typed, at the start of `text`).
 */
export interface MessageText {
  text?: string | undefined;
  html?: string | undefined;
  mentionedPeople?: string[] | undefined;
}

export interface ParsedCommand {
  name: string;
  args: string;
}

export function parseCommand(msg: MessageText, bot: { id: string; displayName: string }): ParsedCommand | undefined {
  let text = (msg.text ?? '').trim();
  for (const mention of mentionTexts(msg, bot)) {
    if (text.toLowerCase().startsWith(mention.toLowerCase())) {
      text = text.slice(mention.length).replace(/^[\s,:]+/, '');
      break;
    }
  }
  text = text.replace(/^[\s/\ufeff]+/, '').trim();
  if (text === '') return undefined;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  return { name: (match[1] ?? '').toLowerCase(), args: (match[2] ?? '').trim() };
}

/** Candidate mention strings, most specific first: the html mention's text, then the display name and its first word. */
function mentionTexts(msg: MessageText, bot: { id: string; displayName: string }): string[] {
  const candidates: string[] = [];
  if (msg.html) {
    const re = /<spark-mention[^>]*data-object-id="([^"]+)"[^>]*>([\s\S]*?)<\/spark-mention>/g;
    for (const m of msg.html.matchAll(re)) {
      if (m[1] === bot.id && m[2]) candidates.push(decodeEntities(m[2].replace(/<[^>]+>/g, '')));
    }
  }
  candidates.push(bot.displayName);
  const firstWord = bot.displayName.split(/\s+/)[0];
  if (firstWord && firstWord !== bot.displayName) candidates.push(firstWord);
  return candidates.filter((c) => c.trim() !== '').sort((a, b) => b.length - a.length);
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The registered name closest to `name`, when it is close enough to be a typo. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Edit distance counting a swap of two neighbours as one edit (typos like "hlep"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
