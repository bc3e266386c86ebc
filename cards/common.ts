/**
 * Building blocks shared by the card builders: the card envelope, severity and verdict styles, the
 * ordered Submit buttons, and byte budgets for lists of card elements.
 */
import { httpUrl, utf8ByteLength } from './format.js';
import type {
  AdaptiveCard,
  AlertActionVerb,
  CardAction,
  CardElement,
  Disposition,
  Severity,
  SubmitData,
} from './types.js';
import { CARD_DATA_VERSION, MAX_CARD_ACTIONS } from './types.js';

/** TextBlock colours of the Adaptive Card 1.3 schema that the cards use. */
export type TextColor = 'Default' | 'Attention' | 'Warning' | 'Good' | 'Accent';

export const SEVERITY_COLOR: Readonly<Record<Severity, TextColor>> = {
  critical: 'Attention',
  high: 'Attention',
  medium: 'Warning',
  low: 'Accent',
};

/** Higher is worse; used to sort lists by severity. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 3, high: 2, medium: 1, low: 0 };

/**
 * How a verdict looks: a coloured word for the card, and a coloured dot that carries the same meaning
 * in the Markdown fallback, which has no colours.
 */
export const DISPOSITION_STYLE: Readonly<Record<Disposition, { label: string; color: TextColor; dot: string }>> = {
  malicious: { label: 'Malicious', color: 'Attention', dot: '🔴' },
  suspicious: { label: 'Suspicious', color: 'Warning', dot: '🟠' },
  clean: { label: 'Clean', color: 'Good', dot: '🟢' },
  unknown: { label: 'Unknown', color: 'Default', dot: '⚪' },
};

/** "🔴 Malicious" */
export function dispositionText(disposition: Disposition): string {
  const style = DISPOSITION_STYLE[disposition];
  return `${style.dot} ${style.label}`;
}

/**
 * Button order when a card offers more verbs than fit: reacting to a pending block comes first, then
 * containment, then triage. Pairs such as block/unblock are never both meaningful at once.
 */
export const ALERT_ACTION_PRIORITY: readonly AlertActionVerb[] = [
  'approve-block',
  'block',
  'unblock',
  'tag',
  'untag',
  'ack',
  'enrich',
  'escalate',
];

export const ALERT_ACTION_TITLES: Readonly<Record<AlertActionVerb, string>> = {
  'approve-block': 'Approve block',
  block: 'Block peer',
  unblock: 'Unblock',
  tag: 'Tag host',
  untag: 'Untag',
  ack: 'Acknowledge',
  enrich: 'Enrich',
  escalate: 'Escalate',
};

/**
 * One `Action.Submit` per distinct verb, in {@link ALERT_ACTION_PRIORITY} order, each carrying
 * `{ action, v, incidentId }`. Not capped: callers add their links and cut with {@link capActions}.
 */
export function submitActions(verbs: readonly AlertActionVerb[], incidentId: string): CardAction[] {
  const wanted = new Set(verbs);
  return ALERT_ACTION_PRIORITY.filter((verb) => wanted.has(verb)).map((verb) => {
    const data: SubmitData = { action: verb, v: CARD_DATA_VERSION, incidentId };
    return { type: 'Action.Submit', title: ALERT_ACTION_TITLES[verb], data };
  });
}

/** Keeps the first five actions, the most Webex shows on one card. */
export function capActions(actions: readonly CardAction[]): CardAction[] {
  return actions.slice(0, MAX_CARD_ACTIONS);
}

/** The Adaptive Card 1.3 envelope; `actions` is left out when empty. */
export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** Size of a value's JSON in UTF-8 bytes, as it will travel to Webex. */
export function jsonBytes(value: unknown): number {
  return utf8ByteLength(JSON.stringify(value));
}

/**
 * The longest prefix of `items` whose total `size` stays within `budget`, and how many were left out.
 * Keeps cards under the JSON budget however long each item's (already truncated) text is.
 */
export function fitBudget<T>(
  items: readonly T[],
  budget: number,
  size: (item: T) => number,
): { kept: T[]; omitted: number } {
  const kept: T[] = [];
  let used = 0;
  for (const item of items) {
    const itemSize = size(item);
    if (used + itemSize > budget) break;
    kept.push(item);
    used += itemSize;
  }
  return { kept, omitted: items.length - kept.length };
}

/** "HIGH" */
export function severityLabel(severity: Severity): string {
  return severity.toUpperCase();
}

/** Longer links are left out rather than cut: a cut URL leads somewhere else. */
export const MAX_LINK_URL_LENGTH = 1_000;

/** The normalised http(s) URL for a Markdown link or button, or `undefined` if unsafe or too long. */
export function linkUrl(raw: string | undefined): string | undefined {
  const url = httpUrl(raw);
  return url !== undefined && url.length <= MAX_LINK_URL_LENGTH ? url : undefined;
}
