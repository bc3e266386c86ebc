/**
 * The message list of one space, Webex style: messages in order, each thread's replies indented
 * under its root, sender names and times, Markdown rendered safely, cards rendered by the
 * `adaptivecards` library. Re-showing the same messages reuses their elements, so a live update
 * neither flickers nor loses a card that is being pressed.
 */
import type { WebexMessage } from '../../webex/index.js';
import { renderCard } from './card.js';
import { avatarColor, h, initials, syncChildren } from './dom.js';
import { escapeHtml, type MentionNamer, renderMarkdown } from './markdown.js';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** How long "Sent as …" stays under a pressed card. */
const SENT_NOTE_MS = 6000;

/** What the timeline needs from the page. */
export interface TimelineHooks {
  nameOf(personId: string, email: string): string;
  isBot(personId: string): boolean;
  mentionName: MentionNamer;
  /** Sends a card press as the current person; resolves with a line to show under the card. */
  submit(message: WebexMessage, inputs: Record<string, unknown>): Promise<string>;
  /** The person chose "Reply" on a thread. */
  reply(root: WebexMessage): void;
}

interface Thread {
  id: string;
  root: WebexMessage | undefined;
  replies: WebexMessage[];
}

interface ThreadSlot {
  element: HTMLLIElement;
  replies: HTMLOListElement;
  /** Stands in for a root that was deleted (a replaced alert card) while its replies remain. */
  deleted: HTMLElement;
}

interface Rendered {
  version: string;
  element: HTMLElement;
}

/** Renders messages into an `<ol>` and keeps it up to date. */
export class Timeline {
  private readonly messages = new Map<string, Rendered>();
  private readonly threads = new Map<string, ThreadSlot>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly hooks: TimelineHooks,
  ) {}

  /** Shows exactly these messages (oldest first); returns how many were not shown before. */
  show(messages: readonly WebexMessage[]): number {
    const before = new Set(this.messages.keys());
    const threads = groupThreads(messages);
    const threadElements = threads.map((thread) => this.threadElement(thread));
    syncChildren(this.list, threadElements);
    this.forgetAllBut(new Set(messages.map((m) => m.id)), new Set(threads.map((t) => t.id)));
    return messages.filter((m) => !before.has(m.id)).length;
  }

  /** Forgets everything (another space is about to be shown). */
  clear(): void {
    this.messages.clear();
    this.threads.clear();
    this.list.replaceChildren();
  }

  private threadElement(thread: Thread): HTMLLIElement {
    let slot = this.threads.get(thread.id);
    if (!slot) {
      slot = {
        element: h('li', { class: 'thread', 'data-thread-id': thread.id }),
        replies: h('ol', { class: 'replies' }),
        deleted: h('p', { class: 'deleted' }, 'This message was deleted.'),
      };
      this.threads.set(thread.id, slot);
    }
    const head = thread.root ? this.messageElement(thread.root, false) : slot.deleted;
    syncChildren(
      slot.replies,
      thread.replies.map((reply) => this.messageElement(reply, true)),
    );
    syncChildren(slot.element, thread.replies.length > 0 ? [head, slot.replies] : [head]);
    return slot.element;
  }

  private messageElement(message: WebexMessage, isReply: boolean): HTMLElement {
    const version = `${message.updated ?? message.created}|${isReply ? 'reply' : 'root'}`;
    const known = this.messages.get(message.id);
    if (known?.version === version) return known.element;
    const element = this.renderMessage(message, isReply);
    this.messages.set(message.id, { version, element });
    return element;
  }

  private renderMessage(message: WebexMessage, isReply: boolean): HTMLElement {
    const name = this.hooks.nameOf(message.personId, message.personEmail);
    const isBot = this.hooks.isBot(message.personId);
    const created = new Date(message.created);
    const header = h(
      'header',
      { class: 'message-header' },
      h('span', { class: 'sender' }, name),
      isBot && h('span', { class: 'bot-badge' }, 'Bot'),
      h(
        'time',
        { datetime: message.created, title: created.toLocaleString() },
        created.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
      ),
      message.updated !== undefined && h('span', { class: 'edited' }, 'Edited'),
      !isReply &&
        h('button', { type: 'button', class: 'reply-button', onclick: () => this.hooks.reply(message) }, 'Reply'),
    );
    const card = message.attachments?.find((a) => a.contentType === CARD_CONTENT_TYPE);
    const content = card ? this.cardContent(message, card.content) : this.textContent(message);
    return h(
      'article',
      {
        class: `message${isReply ? ' reply' : ''}${card ? ' has-card' : ''}`,
        'data-message-id': message.id,
        'data-sender': name,
      },
      h(
        'div',
        { class: 'avatar', style: `background:${avatarColor(message.personId)}`, 'aria-hidden': 'true' },
        initials(name),
      ),
      h('div', { class: 'message-body' }, header, content),
    );
  }

  private textContent(message: WebexMessage): HTMLElement {
    const element = h('div', { class: 'markdown' });
    element.innerHTML =
      message.markdown !== undefined
        ? renderMarkdown(message.markdown, { mentionName: this.hooks.mentionName })
        : `<p>${escapeHtml(message.text).replace(/\n/g, '<br>')}</p>`;
    return element;
  }

  private cardContent(message: WebexMessage, content: Record<string, unknown>): HTMLElement {
    const status = h('p', { class: 'card-status', role: 'status' });
    const frame = h('div', { class: 'card' });
    try {
      frame.append(
        renderCard(content, {
          submit: (inputs) => void this.press(message, inputs, frame, status),
        }),
      );
    } catch (error) {
      frame.append(this.textContent(message));
      status.textContent = `This card could not be rendered: ${error instanceof Error ? error.message : String(error)}`;
      status.classList.add('error');
    }
    return h('div', { class: 'card-wrap' }, frame, status);
  }

  private async press(
    message: WebexMessage,
    inputs: Record<string, unknown>,
    frame: HTMLElement,
    status: HTMLElement,
  ): Promise<void> {
    frame.classList.add('busy');
    status.classList.remove('error');
    status.textContent = 'Sending…';
    try {
      const sent = await this.hooks.submit(message, inputs);
      status.textContent = sent;
      // The bot answers by updating the card or replying in its thread; the note is only a receipt.
      setTimeout(() => {
        if (status.textContent === sent) status.textContent = '';
      }, SENT_NOTE_MS);
    } catch (error) {
      status.classList.add('error');
      status.textContent = `Could not send: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      frame.classList.remove('busy');
    }
  }

  private forgetAllBut(messageIds: ReadonlySet<string>, threadIds: ReadonlySet<string>): void {
    for (const id of this.messages.keys()) if (!messageIds.has(id)) this.messages.delete(id);
    for (const id of this.threads.keys()) if (!threadIds.has(id)) this.threads.delete(id);
  }
}

/** Roots in order, each with its replies; replies whose root is gone keep a place of their own. */
function groupThreads(messages: readonly WebexMessage[]): Thread[] {
  const threads = new Map<string, Thread>();
  for (const message of messages) {
    const rootId = message.parentId ?? message.id;
    const thread = threads.get(rootId) ?? { id: rootId, root: undefined, replies: [] };
    threads.set(rootId, thread);
    if (message.parentId === undefined) thread.root = message;
    else thread.replies.push(message);
  }
  return [...threads.values()];
}
