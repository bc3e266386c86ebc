/**
 * Renders an Adaptive Card with the `adaptivecards` library (loaded by a script tag as the
 * global `AdaptiveCards`) under a Webex-like host config. `Action.Submit` hands its data to the
 * caller; `Action.OpenUrl` opens http(s) URLs in a new tab; text Markdown goes through the same
 * escaping renderer as messages.
 */
import type * as AdaptiveCardsLib from 'adaptivecards';
import { WEBEX_HOST_CONFIG } from './host-config.js';
import { renderMarkdown, safeHttpUrl } from './markdown.js';

type Lib = typeof AdaptiveCardsLib;

/** What pressing a card's buttons does. */
export interface CardHandlers {
  /** `Action.Submit`: the action's data merged with the card's inputs. */
  submit(inputs: Record<string, unknown>): void;
}

let configured: { lib: Lib; hostConfig: AdaptiveCardsLib.HostConfig } | undefined;

function library(): { lib: Lib; hostConfig: AdaptiveCardsLib.HostConfig } {
  if (configured) return configured;
  const lib = (globalThis as { AdaptiveCards?: Lib }).AdaptiveCards;
  if (!lib) throw new Error('the adaptivecards library did not load');
  lib.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderMarkdown(text);
    result.didProcess = true;
  };
  configured = { lib, hostConfig: new lib.HostConfig(WEBEX_HOST_CONFIG) };
  return configured;
}

/** Renders card JSON to an element; throws when the library cannot parse or render it. */
export function renderCard(content: Record<string, unknown>, handlers: CardHandlers): HTMLElement {
  const { lib, hostConfig } = library();
  const card = new lib.AdaptiveCard();
  card.hostConfig = hostConfig;
  card.onExecuteAction = (action) => {
    if (action instanceof lib.SubmitAction) {
      handlers.submit({ ...((action.data as Record<string, unknown> | undefined) ?? {}) });
    } else if (action instanceof lib.OpenUrlAction) {
      const url = safeHttpUrl(action.url ?? '');
      if (url) window.open(url, '_blank', 'noopener');
    }
  };
  card.parse(structuredClone(content));
  const element = card.render();
  if (!element) throw new Error('the card did not render');
  return element;
}
