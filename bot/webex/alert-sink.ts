/**
 * Puts alert cards into the alert space and keeps them current. Posting goes through the
 * framework (`bot.sendCard`); deleting uses REST.
 *
 * Webex's Messages OpenAPI documents `PUT /messages/{id}` with `roomId`, `text` and `markdown`
 * only, and says a message with attachments cannot be edited (400). So a card is never edited:
 * an update posts the new card, then deletes the old one (the space always holds one card per
 * incident; replies threaded under a replaced card stay under the deleted message).
 */
import type { RenderedCard } from '../../cards/types.js';
import type { WebexRestClient } from '../../integrations/webex/client.js';
import type { Logger } from '../log.js';
import { NotInRoomError } from '../errors.js';
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
  /** Replaces the card: posts `rendered`, then deletes the message `messageId`. */
  update(messageId: string, rendered: RenderedCard): Promise<PostedCard>;
}

/** What the sink needs from a framework bot. */
export interface CardSender {
  sendCard(card: object, fallbackText: string): PromiseLike<{ id: string }>;
  reply(replyTo: string, message: object): PromiseLike<{ id: string }>;
}

export class WebexAlertSink implements AlertSink {
  constructor(
    private readonly opts: {
      roomId: string;
      apiUrl: string;
      botForRoom: (roomId: string) => CardSender | undefined;
      rest: WebexRestClient;
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

  async update(messageId: string, rendered: RenderedCard): Promise<PostedCard> {
    const posted = await this.post(rendered);
    await this.opts.rest
      .deleteMessage(messageId)
      .catch((err: unknown) => this.opts.log.warn({ err }, 'could not delete the previous alert card'));
    return { messageId: posted.messageId, replaced: true };
  }
}
