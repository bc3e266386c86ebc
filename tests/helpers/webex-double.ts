/**
 * The Webex side of the bot, recorded, at the bot's own two seams: the `Conversation` a command or
 * a press answers through (what `bot/webex/adapter.ts` builds from a framework bot) and the
 * `AlertSink` the outbox posts and replaces alert cards through (what `WebexAlertSink` does over
 * the framework). Nothing of the bot's logic is replaced: these only keep what was sent.
 */
import type { RenderedCard } from '../../cards/types.js';
import type { Conversation } from '../../bot/router/router.js';
import type { AlertSink, PostedCard } from '../../bot/webex/alert-sink.js';

/** One answer in a conversation: markdown, or a card. */
export type Answer = { markdown: string; card?: undefined } | { card: RenderedCard; markdown?: undefined };

/** The answers to one message or press, in order. */
export class RecordedConversation implements Conversation {
  readonly answers: Answer[] = [];

  async reply(markdown: string): Promise<void> {
    this.answers.push({ markdown });
  }

  async replyCard(rendered: RenderedCard): Promise<void> {
    this.answers.push({ card: rendered });
  }

  /** The markdown answers. */
  get texts(): string[] {
    return this.answers.flatMap((a) => (a.markdown === undefined ? [] : [a.markdown]));
  }

  /** The one markdown answer; fails the test when there is not exactly one answer. */
  get text(): string {
    if (this.answers.length !== 1 || this.answers[0]?.markdown === undefined) {
      throw new Error(`expected one markdown answer, got ${JSON.stringify(this.answers)}`);
    }
    return this.answers[0].markdown;
  }
}

/** A message the bot put into the alert space. */
export interface SpaceMessage {
  id: string;
  rendered: RenderedCard;
  /** Set for a card threaded under another message (digest list pages). */
  parentId?: string | undefined;
  /** True once a newer card replaced it. */
  deleted: boolean;
}

/** The alert space as the outbox sees it: cards posted, replaced (posted anew, the old one deleted). */
export class RecordedAlertSpace implements AlertSink {
  readonly messages: SpaceMessage[] = [];
  private seq = 0;

  async post(rendered: RenderedCard): Promise<PostedCard> {
    return { messageId: this.add(rendered).id, replaced: false };
  }

  async reply(parentId: string, rendered: RenderedCard): Promise<PostedCard> {
    return { messageId: this.add(rendered, parentId).id, replaced: false };
  }

  async update(messageId: string, rendered: RenderedCard): Promise<PostedCard> {
    const posted = this.add(rendered);
    const old = this.messages.find((m) => m.id === messageId);
    if (old) old.deleted = true;
    return { messageId: posted.id, replaced: true };
  }

  /** Cards in the space now (replaced ones are gone). */
  shown(): SpaceMessage[] {
    return this.messages.filter((m) => !m.deleted);
  }

  private add(rendered: RenderedCard, parentId?: string): SpaceMessage {
    const message = { id: `card-message-${++this.seq}`, rendered, parentId, deleted: false };
    this.messages.push(message);
    return message;
  }
}

/** Every TextBlock text, FactSet fact and title of a card, one per line: what a reader sees. */
export function cardText(rendered: RenderedCard): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) {
        const value = record[key];
        if (typeof value === 'string') parts.push(value);
      }
      for (const value of Object.values(record)) if (typeof value === 'object') walk(value);
    }
  };
  walk(rendered.card.body);
  return parts.join('\n');
}

/** The `data` of every `Action.Submit` on a card (nested ones included): its buttons. */
export function cardButtons(rendered: RenderedCard): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Submit' && record.data && typeof record.data === 'object') {
        found.push(record.data as Record<string, unknown>);
      }
      for (const value of Object.values(record)) if (typeof value === 'object') walk(value);
    }
  };
  walk(rendered.card);
  return found;
}

/** The verbs of a card's buttons. */
export const cardVerbs = (rendered: RenderedCard): string[] => cardButtons(rendered).map((d) => String(d.action));
