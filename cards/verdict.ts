/**
 * The verdict card: the answer to `/enrich <observable>` or an alert's Enrich button. The overall
 * verdict comes first and large, then one compact block per source, then links to pivot into each
 * source's console.
 */
import {
  adaptiveCard,
  capActions,
  DISPOSITION_STYLE,
  dispositionText,
  fitBudget,
  jsonBytes,
  linkUrl,
  submitActions,
} from './common.js';
import type { TextColor } from './common.js';
import {
  cleanText,
  defangObservable,
  escapeMarkdown,
  formatCount,
  formatNumber,
  formatUtc,
  isBlank,
  truncate,
  truncateUtf8,
  userText,
  utf8ByteLength,
} from './format.js';
import type { CardElement, Disposition, RenderedCard, VerdictCardInput, VerdictSource } from './types.js';
import { MAX_CARD_JSON_BYTES, MAX_MARKDOWN_BYTES } from './types.js';

/** Code-point limits for text from outside systems (before escaping) and item caps. */
const LIMITS = {
  observableType: 24,
  observable: 200,
  sourceName: 40,
  sourcesShown: 8,
  factsPerSource: 4,
  factTitle: 24,
  factValue: 100,
  note: 120,
  pivotsShown: 6,
  pivotTitle: 40,
  incidentId: 100,
} as const;

/** Card JSON kept free for the "+N more sources" line and rounding. */
const CARD_RESERVE_BYTES = 400;

/** Fallback bytes kept free for the "+N more" line and the ellipsis. */
const FALLBACK_RESERVE_BYTES = 120;

/** One source's block, already cleaned, truncated and escaped. */
interface SourceView {
  headline: string;
  color: TextColor | undefined;
  subtle: boolean;
  facts: { title: string; value: string }[];
  note: string;
}

interface VerdictView {
  verdict: string;
  verdictColor: TextColor;
  observableType: string;
  observable: string;
  answered: string;
  sources: SourceView[];
  /** Sources beyond the cap of eight. */
  sourcesNotShown: number;
  pivots: { title: string; url: string }[];
  footer: string;
}

/**
 * Renders the merged enrichment verdict for one observable, plus the Markdown fallback. Pure;
 * observable values, source texts and pivot titles are escaped (and observables defanged), only
 * http(s) pivots are linked, the card stays within five actions and 20 KB, and the fallback within
 * Webex's 7439-byte limit.
 */
export function verdictCard(input: VerdictCardInput): RenderedCard {
  const view = verdictView(input);
  const actions =
    input.incidentId === undefined ? [] : capActions(submitActions(input.actions ?? [], input.incidentId));
  const fixed = adaptiveCard([...headBlocks(view), ...tailBlocks(view)], actions);
  const budget = MAX_CARD_JSON_BYTES - jsonBytes(fixed) - CARD_RESERVE_BYTES;
  const { kept, omitted } = fitBudget(view.sources.map(sourceContainer), budget, jsonBytes);
  const more = moreSources(omitted + view.sourcesNotShown);
  const moreBlocks: CardElement[] = more === '' ? [] : [{ type: 'TextBlock', text: more, isSubtle: true, wrap: true }];
  const card = adaptiveCard([...headBlocks(view), ...kept, ...moreBlocks, ...tailBlocks(view)], actions);
  return { card, fallbackText: verdictFallback(view) };
}

function verdictView(input: VerdictCardInput): VerdictView {
  const style = DISPOSITION_STYLE[input.overall];
  const type = userText(input.observable.type, LIMITS.observableType) || 'observable';
  const asked = input.sources.filter((source) => source.status !== 'not-applicable');
  const answered = asked.filter((source) => source.status === 'ok' || source.status === 'partial').length;
  const cached = input.cachedAt === undefined ? '' : ` · all from cache, ${formatUtc(input.cachedAt, 'short')}`;
  const incident = input.incidentId === undefined ? '' : userText(input.incidentId, LIMITS.incidentId);
  const unavailable = asked.filter((source) => source.status === 'unavailable').length;
  // A source that could not answer is not a "no": below Malicious the verdict is incomplete.
  const incomplete =
    unavailable > 0 && input.overall !== 'malicious'
      ? ` (incomplete: ${formatCount(unavailable, 'source')} unavailable)`
      : '';
  return {
    verdict: `${dispositionText(input.overall)}${incomplete}`,
    verdictColor: style.color,
    observableType: type,
    observable:
      defangObservable(
        input.observable.type,
        escapeMarkdown(truncate(cleanText(input.observable.value), LIMITS.observable)),
      ) || 'unknown',
    answered:
      asked.length === 0
        ? 'No source could look this up'
        : `${formatNumber(answered)} of ${formatCount(asked.length, 'source')} answered`,
    sources: input.sources.slice(0, LIMITS.sourcesShown).map(sourceView),
    sourcesNotShown: Math.max(0, input.sources.length - LIMITS.sourcesShown),
    pivots: pivotViews(input.pivots),
    footer: `Generated ${formatUtc(input.generatedAt)}${cached}${incident === '' ? '' : ` · incident ${incident}`}`,
  };
}

/** "Umbrella · 🔴 Malicious", "VirusTotal · unavailable — quota exceeded", "SNA · not applicable". */
function sourceView(source: VerdictSource): SourceView {
  const name = userText(source.name, LIMITS.sourceName) || 'Unnamed source';
  const note = source.note === undefined ? '' : userText(source.note, LIMITS.note);
  // Blank facts are skipped before the cut, and only the facts shown are formatted.
  const facts = source.facts
    .filter((fact) => !isBlank(fact.title) || !isBlank(fact.value))
    .slice(0, LIMITS.factsPerSource)
    .map((fact) => ({ title: userText(fact.title, LIMITS.factTitle), value: userText(fact.value, LIMITS.factValue) }));
  switch (source.status) {
    case 'ok':
    case 'partial': {
      const partial = source.status === 'partial' ? ' (partial answer)' : '';
      const verdict = source.verdict === undefined ? 'no verdict' : dispositionText(source.verdict);
      return { headline: `${name} · ${verdict}${partial}`, color: colorOf(source.verdict), subtle: false, facts, note };
    }
    case 'unavailable':
      return {
        headline: `${name} · unavailable — ${note || 'no answer'}`,
        color: undefined,
        subtle: true,
        facts,
        note: '',
      };
    case 'not-applicable':
      return {
        headline: `${name} · not applicable${note === '' ? '' : ` — ${note}`}`,
        color: undefined,
        subtle: true,
        facts,
        note: '',
      };
  }
}

function colorOf(disposition: Disposition | undefined): TextColor | undefined {
  const color = disposition === undefined ? 'Default' : DISPOSITION_STYLE[disposition].color;
  return color === 'Default' ? undefined : color;
}

/** Only http(s) links of sane length, with escaped titles; a blank title falls back to the host name. */
function pivotViews(pivots: VerdictCardInput['pivots']): { title: string; url: string }[] {
  return pivots
    .flatMap((pivot) => {
      const url = linkUrl(pivot.url);
      if (url === undefined) return [];
      return [{ title: userText(pivot.title, LIMITS.pivotTitle) || escapeMarkdown(new URL(url).hostname), url }];
    })
    .slice(0, LIMITS.pivotsShown);
}

function headBlocks(view: VerdictView): CardElement[] {
  return [
    {
      type: 'TextBlock',
      text: view.verdict,
      size: 'Large',
      weight: 'Bolder',
      ...(view.verdictColor === 'Default' ? {} : { color: view.verdictColor }),
      wrap: true,
    },
    { type: 'TextBlock', text: view.observable, weight: 'Bolder', wrap: true, spacing: 'Small' },
    {
      type: 'TextBlock',
      text: `${view.observableType} · ${view.answered}`,
      isSubtle: true,
      wrap: true,
      spacing: 'None',
    },
  ];
}

function sourceContainer(source: SourceView): CardElement {
  const items: CardElement[] = [
    {
      type: 'TextBlock',
      text: source.headline,
      weight: 'Bolder',
      ...(source.color === undefined ? {} : { color: source.color }),
      ...(source.subtle ? { isSubtle: true } : {}),
      wrap: true,
    },
  ];
  if (source.facts.length > 0) items.push({ type: 'FactSet', facts: source.facts, spacing: 'Small' });
  if (source.note !== '') {
    items.push({ type: 'TextBlock', text: source.note, size: 'Small', isSubtle: true, wrap: true, spacing: 'Small' });
  }
  return { type: 'Container', items, separator: true };
}

function tailBlocks(view: VerdictView): CardElement[] {
  const blocks: CardElement[] = [];
  if (view.pivots.length > 0) {
    blocks.push({ type: 'TextBlock', text: 'Pivot', weight: 'Bolder', wrap: true, separator: true });
    blocks.push({ type: 'TextBlock', text: pivotList(view), wrap: true, spacing: 'Small' });
  }
  blocks.push({
    type: 'TextBlock',
    text: view.footer,
    size: 'Small',
    isSubtle: true,
    wrap: true,
    ...(view.pivots.length > 0 ? {} : { separator: true }),
  });
  return blocks;
}

/** A bulleted Markdown list, one link per line. */
function pivotList(view: VerdictView): string {
  return view.pivots.map((pivot) => `- [${pivot.title}](${pivot.url})`).join('\n');
}

/**
 * The same essentials as Markdown. Sources and pivots are fitted into what the verdict and footer
 * leave of the byte limit, sources first.
 */
function verdictFallback(view: VerdictView): string {
  const head = [`**${view.verdict}** · ${view.observableType} ${view.observable}`, view.answered];
  const sourceLines = view.sources.map((source) => {
    const facts = source.facts.map((fact) => (fact.title === '' ? fact.value : `${fact.title}: ${fact.value}`));
    return ['- ' + source.headline, ...facts, source.note].filter((part) => part !== '').join(' · ');
  });
  const pivotLine = view.pivots.map((pivot) => `[${pivot.title}](${pivot.url})`);
  let budget = MAX_MARKDOWN_BYTES - FALLBACK_RESERVE_BYTES - lineBytes([...head, view.footer]);
  const sources = fitBudget(sourceLines, budget, (line) => utf8ByteLength(line) + 1);
  budget -= lineBytes(sources.kept);
  const pivots = fitBudget(pivotLine, budget - utf8ByteLength('Pivot: '), (link) => utf8ByteLength(link) + 3);
  const lines = [
    ...head,
    ...sources.kept,
    moreSources(sources.omitted + view.sourcesNotShown),
    pivots.kept.length > 0 ? `Pivot: ${pivots.kept.join(' · ')}` : '',
    view.footer,
  ];
  return truncateUtf8(lines.filter((line) => line !== '').join('\n'), MAX_MARKDOWN_BYTES);
}

function lineBytes(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + utf8ByteLength(line) + 1, 0);
}

/** "+3 more sources", or "" when every source is shown. */
function moreSources(hidden: number): string {
  return hidden > 0 ? `+${formatNumber(hidden)} more ${hidden === 1 ? 'source' : 'sources'}` : '';
}
