/**
 * The message composer. In a group space it starts the message with an @mention of the bot, as
 * a Webex client does when you pick the bot (Webex only delivers mentioning messages to bots in
 * spaces); the chip can be clicked off to talk to people only. Enter sends, Shift+Enter breaks
 * the line, and "Reply" on a thread sends into that thread.
 */
import { byId } from './dom.js';

/** What the composer asks the page to do. */
export interface ComposerHooks {
  send(text: string, options: { mentionBot: boolean; parentId: string | undefined }): Promise<void>;
}

/** Binds the composer form of index.html. */
export class Composer {
  private readonly form = byId<HTMLFormElement>('composer');
  private readonly input = byId<HTMLTextAreaElement>('composer-input');
  private readonly mentionChip = byId<HTMLButtonElement>('composer-mention');
  private readonly replyBar = byId('composer-reply');
  private readonly replyLabel = byId('composer-reply-label');
  private readonly error = byId('composer-error');
  private mentionBot = true;
  private inGroup = true;
  private parentId: string | undefined;

  constructor(private readonly hooks: ComposerHooks) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.submit();
      }
    });
    this.mentionChip.addEventListener('click', () => {
      this.mentionBot = !this.mentionBot;
      this.renderChip();
      this.input.focus();
    });
    byId('composer-reply-cancel').addEventListener('click', () => this.replyTo(undefined));
  }

  /** Adapts the composer to the space shown. */
  setSpace(space: { title: string; isGroup: boolean; botName: string }): void {
    this.inGroup = space.isGroup;
    this.mentionBot = true;
    this.mentionChip.textContent = `@${space.botName}`;
    this.input.placeholder = `Message ${space.title}`;
    this.replyTo(undefined);
    this.renderChip();
  }

  /** Sends the next message into this thread (`undefined`: a new message). */
  replyTo(thread: { id: string; label: string } | undefined): void {
    this.parentId = thread?.id;
    this.replyBar.hidden = thread === undefined;
    this.replyLabel.textContent = thread ? `Replying to ${thread.label}` : '';
    if (thread) this.input.focus();
  }

  private renderChip(): void {
    this.mentionChip.hidden = !this.inGroup;
    this.mentionChip.setAttribute('aria-pressed', String(this.mentionBot));
    this.mentionChip.title = this.mentionBot
      ? 'The message mentions the bot, so the bot receives it. Click to talk to people only.'
      : 'Click to mention the bot again.';
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    if (text === '') return;
    this.error.textContent = '';
    this.input.disabled = true;
    try {
      await this.hooks.send(text, { mentionBot: this.inGroup && this.mentionBot, parentId: this.parentId });
      this.input.value = '';
      this.replyTo(undefined);
    } catch (error) {
      this.error.textContent = `Not sent: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.input.disabled = false;
      this.input.focus();
    }
  }
}
