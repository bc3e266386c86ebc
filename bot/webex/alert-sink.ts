/**
 * Puts alert cards into the alert space and keeps them current. Posting goes through the
 * framework (`bot.sendCard`); updating uses REST, which the SDK 2.4.2 lacks.
 *
 * Whether Webex lets a bot edit a message that carries a card is in doubt (the published
 * spec says 400), so WEBEX_CARD_UPDATES chooses: `edit` in place, `replace` (post the new
 * card, delete the old), or `auto`: try an edit once, and replace from then on if refused.
 */
import type { RenderedCard } from '../../cards/types.js';
import { ApiError } from '../../integrations/http.js';
import type { WebexRestClient } from '../../integrations/webex/client.js';
import type { Logger } from '../log.js';
import { NotInRoomError } from '../outbox/retry.js';
import type { StateStore } from '../state/store.js';
import { fromSdkError } from './sdk-errors.js';

export interface PostedCard {
  messageId: string;
  /** True when a new message replaced the old one. */
  replaced: boolean;
}

export interface AlertSink {
  post(rendered: RenderedCard): Promise<PostedCard>;
  /** Posts a card threaded under `parentId` (a top-level message of the alert space). */
  reply(parentId: string, rendered: RenderedCard): Promise<PostedCard>;
  update(messageId: string, rendered: RenderedCard, editsSoFar: number): Promise<PostedCard>;
}

/** What the sink needs from a framework bot. */
export interface CardSender {
  sendCard(card: object, fallbackText: string): PromiseLike<{ id: string }>;
  reply(replyTo: string, message: object): PromiseLike<{ id: string }>;
}

const CAPABILITY_KEY = 'webex:card-edits';
/** Webex allows 10 edits per message; the last one is kept in reserve. */
const MAX_EDITS = 9;

export class WebexAlertSink implements AlertSink {
  constructor(
    private readonly opts: {
      roomId: string;
      apiUrl: string;
      mode: 'auto' | 'edit' | 'replace';
      botForRoom: (roomId: string) => CardSender | undefined;
      rest: WebexRestClient;
      state: StateStore;
      log: Logger;
    },
  ) {}

  async post(rendered: RenderedCard): Promise<PostedCard> {
    const bot = this.opts.botForRoom(this.opts.roomId);
    if (!bot) throw new NotInRoomError(this.opts.roomId);
    try {
      const message = await bot.sendCard(rendered.card, rendered.fallbackText);
      return { messageId: message.id, replaced: false };
    } catch (err) {
      throw fromSdkError(err, 'POST', `${this.opts.apiUrl}/messages`);
    }
  }

  async reply(parentId: string, rendered: RenderedCard): Promise<PostedCard> {
    const bot = this.opts.botForRoom(this.opts.roomId);
    if (!bot) throw new NotInRoomError(this.opts.roomId);
    try {
      const message = await bot.reply(parentId, {
        markdown: rendered.fallbackText,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: rendered.card }],
      });
      return { messageId: message.id, replaced: false };
    } catch (err) {
      throw fromSdkError(err, 'POST', `${this.opts.apiUrl}/messages`);
    }
  }

  async update(messageId: string, rendered: RenderedCard, editsSoFar: number): Promise<PostedCard> {
    if (editsSoFar < MAX_EDITS && (await this.editsAllowed())) {
      try {
        await this.opts.rest.editMessage(messageId, {
          roomId: this.opts.roomId,
          markdown: rendered.fallbackText,
          attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { ...rendered.card } }],
        });
        return { messageId, replaced: false };
      } catch (err) {
        if (!(this.opts.mode === 'auto' && err instanceof ApiError && err.status === 400)) throw err;
        await this.opts.state.set(CAPABILITY_KEY, 'refused');
        this.opts.log.info(
          'Webex refused to edit a card message; alert cards will be replaced (delete + post) from now on',
        );
      }
    }
    const posted = await this.post(rendered);
    await this.opts.rest
      .deleteMessage(messageId)
      .catch((err: unknown) => this.opts.log.warn({ err }, 'could not delete the previous alert card'));
    return { messageId: posted.messageId, replaced: true };
  }

  private async editsAllowed(): Promise<boolean> {
    if (this.opts.mode === 'replace') return false;
    if (this.opts.mode === 'edit') return true;
    return (await this.opts.state.get<string>(CAPABILITY_KEY)) !== 'refused';
  }
}
