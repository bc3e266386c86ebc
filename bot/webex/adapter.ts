/**
 * Connects the framework's events to the router: normalizes messages and presses, and
 * gives handlers a way to answer in the same conversation. The framework calls listeners
 * without awaiting them, so every promise is caught here.
 */
import { truncateUtf8 } from '../../cards/format.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import type { Logger } from '../log.js';
import { ApiError } from '../../integrations/http.js';
import { withRetry } from '../../integrations/retry.js';
import { fromSdkError, WEBEX_RETRY } from './sdk-errors.js';
import type { Conversation, Router } from '../router/router.js';
import type { Actor } from '../router/types.js';
import type {
  FrameworkAttachmentAction,
  FrameworkBot,
  FrameworkLike,
  FrameworkMessage,
  FrameworkMessageTrigger,
} from './framework.js';

export function attachRouter(framework: FrameworkLike, router: Router, log: Logger): void {
  // The framework calls listeners without awaiting them: every promise is caught here.
  const handle = (kind: string, work: Promise<void>) =>
    work.catch((err: unknown) => log.error({ err }, `${kind} handling failed outside the error boundary`));

  framework.hears(
    /[\s\S]*/,
    (bot, trigger) => {
      const message = trigger.message;
      if (!message) return;
      const { id, roomId, created, text, html, mentionedPeople } = message;
      const incoming = { id, roomId, created, text, html, mentionedPeople, isDirect: bot.isDirect };
      void handle(
        'message',
        router.onMessage({ ...incoming, actor: actorOf(trigger) }, conversation(bot, message, log)),
      );
    },
    'any message',
    0,
  );

  framework.on('attachmentAction', (bot, trigger) => {
    const action = trigger.attachmentAction;
    if (!action) return;
    const { id, messageId, roomId, created, inputs } = action;
    const incoming = { id, messageId, roomId, created, inputs, isDirect: bot.isDirect };
    void handle('press', router.onPress({ ...incoming, actor: actorOf(trigger) }, conversation(bot, action, log)));
  });
}

function actorOf(trigger: Pick<FrameworkMessageTrigger, 'person'>): Actor {
  const person = trigger.person;
  return {
    id: person.id,
    email: person.emails?.[0],
    displayName: person.displayName || person.emails?.[0] || 'someone',
  };
}

/** Answers threaded under the triggering message in spaces, plainly in 1:1 spaces. */
function conversation(
  bot: FrameworkBot,
  about: FrameworkMessage | FrameworkAttachmentAction,
  log: Logger,
): Conversation {
  const threaded = !bot.isDirect || 'messageId' in about;
  return {
    async reply(markdown) {
      const text = truncateUtf8(markdown, MAX_MARKDOWN_BYTES);
      const inSpace = () => bot.say('markdown', text);
      await deliverReply(
        log,
        threaded ? () => bot.reply(about, text, 'markdown') : inSpace,
        threaded ? inSpace : undefined,
      );
    },
    async replyCard(rendered) {
      const message = {
        markdown: truncateUtf8(rendered.fallbackText, MAX_MARKDOWN_BYTES),
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: rendered.card }],
      };
      const inSpace = () => bot.sendCard(rendered.card, message.markdown);
      await deliverReply(log, threaded ? () => bot.reply(about, message) : inSpace, threaded ? inSpace : undefined);
    },
  };
}

/**
 * Sends an answer, waiting out Webex's Retry-After (up to 30 s) and brief outages. An answer
 * that still cannot be delivered is logged, not thrown: the action it reports on did happen,
 * and the error boundary must not tell the person "nothing was changed".
 *
 * A threaded answer whose parent Webex refuses (400/404: the card pressed was replaced, and so
 * deleted, while the press was handled) goes to the space unthreaded instead (`unthreaded`).
 */
async function deliverReply(
  log: Logger,
  send: () => PromiseLike<unknown>,
  unthreaded?: () => PromiseLike<unknown>,
): Promise<void> {
  try {
    await withRetry(
      async () => {
        await send();
      },
      { ...WEBEX_RETRY, attempts: 5, maxWaitMs: 30_000 },
      { classify: (raw) => fromSdkError(raw, 'POST', 'messages') },
    );
  } catch (err) {
    if (unthreaded && err instanceof ApiError && (err.status === 400 || err.status === 404)) {
      log.info({ status: err.status }, 'the message answered is gone (a replaced card); answering in the space');
      return deliverReply(log, unthreaded);
    }
    log.error({ err }, 'could not deliver an answer to Webex');
  }
}
