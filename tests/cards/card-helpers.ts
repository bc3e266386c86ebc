/**
 * Helpers shared by the card tests: fixtures, the texts a reader sees, and the check that text from
 * outside systems cannot turn into Markdown.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { AdaptiveCard, CardAction, CardElement } from '../../cards/types.js';

/** Parses `tests/fixtures/cards/<name>.json`; the caller names the input type it holds. */
export function loadFixture<T>(name: string): T {
  const path = new URL(`../fixtures/cards/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every TextBlock text and fact value on the card, in reading order, Containers included. */
export function allTexts(card: AdaptiveCard): string[] {
  return card.body.flatMap(elementTexts);
}

function elementTexts(element: CardElement): string[] {
  if (typeof element.text === 'string') return [element.text];
  if (Array.isArray(element.items)) return (element.items as CardElement[]).flatMap(elementTexts);
  const facts = element.facts as { title: string; value: string }[] | undefined;
  return (facts ?? []).flatMap((fact) => [fact.title, fact.value]);
}

export function actionsOf(card: AdaptiveCard, type?: CardAction['type']): CardAction[] {
  return (card.actions ?? []).filter((action) => type === undefined || action.type === type);
}

/** Markdown that would turn into a link, emphasis, code, HTML or a mention if not escaped. */
export const UNESCAPED_MARKUP = [
  /(?<!\\)\]\(/,
  /(?<!\\)\*/,
  /(?<!\\)_/,
  /(?<!\\)`/,
  /(?<!\\)</,
  /(?<!\\)\{\{/,
  /https?:\/\//,
];

export function expectNoMarkup(text: string): void {
  for (const pattern of UNESCAPED_MARKUP)
    expect(text, `${JSON.stringify(text)} matches ${pattern}`).not.toMatch(pattern);
}

/** Text with the cards' own bold markers (`**HIGH**`) taken out, leaving only what came from outside. */
export function withoutOwnBold(text: string): string {
  return text.replace(/\*\*(CRITICAL|HIGH|MEDIUM|LOW)\*\*/g, '$1');
}

/** A long string of `unit`, for worst-case inputs. */
export function huge(unit: string, times = 10_000): string {
  return unit.repeat(times);
}
