/**
 * The one description of `webex-node-bot-framework` 2.3.14 (it ships no types): only what this
 * project uses, written from the framework's source (`lib/framework.js`, `lib/bot.js`,
 * `lib/webhook.js`) and checked against the Webex simulator (tests/sandbox/webex-framework.test.ts).
 * `bot/webex/framework.ts` loads it; the rest of the bot takes these types from there.
 *
 * The framework returns when.js promises: thenables `await` handles, typed `PromiseLike`.
 * Load the module only after `HYDRA_SERVICE_URL` / `U2C_SERVICE_URL` are set: the SDK reads them
 * once, when it loads.
 */
declare module 'webex-node-bot-framework' {
  namespace Framework {
    interface Options {
      /** The bot's access token. */
      token: string;
      /** Where Webex should POST events; without it the framework uses a websocket. */
      webhookUrl?: string;
      webhookSecret?: string;
      /** `false`: on start and stop, delete only this app's webhooks (default `true`: all of the token's). */
      removeWebhooksOnStart?: boolean;
      /** Format of `bot.say()` strings and card fallback text (default `'text'`). */
      messageFormat?: 'markdown' | 'text';
    }

    interface Person {
      id: string;
      emails?: string[];
      displayName?: string;
    }

    interface Message {
      id: string;
      roomId: string;
      /** When Webex created it (ISO 8601): replays of old messages are not acted on. */
      created?: string;
      text?: string;
      html?: string;
      parentId?: string;
      mentionedPeople?: string[];
    }

    interface AttachmentAction {
      id: string;
      /** The message carrying the card that was pressed. */
      messageId: string;
      roomId: string;
      personId: string;
      created?: string;
      inputs?: unknown;
      parentId?: string;
    }

    /** What the framework hands a `hears` handler. `text` and `args` still hold an @mention. */
    interface MessageTrigger {
      type: 'message';
      /** The message id. */
      id: string;
      message: Message;
      person: Person;
      text: string;
      args: string[];
    }

    interface AttachmentActionTrigger {
      type: 'attachmentAction';
      /** The attachment action id. */
      id: string;
      attachmentAction: AttachmentAction;
      person: Person;
    }

    /** The framework's object for one space. */
    interface Bot {
      id: string;
      room: { id: string; type?: 'group' | 'direct' };
      isDirect: boolean;
      isGroup: boolean;
      say(message: string): PromiseLike<Message>;
      say(format: 'markdown' | 'text', message: string): PromiseLike<Message>;
      /** Answers in the thread of `replyTo` (a reply to a reply goes under the same root). */
      reply(
        replyTo: Message | AttachmentAction | string,
        message: string | object,
        format?: 'markdown' | 'text',
      ): PromiseLike<Message>;
      sendCard(card: object, fallbackText: string): PromiseLike<Message>;
    }

    /** A webhook the framework registered (an empty object before it exists). */
    interface Webhook {
      id?: string;
      name?: string;
    }
  }

  /**
   * One Webex identity, one {@link Framework.Bot} per space. Listeners and `hears` handlers are
   * called without `await` nor `catch`: a rejection in them is unhandled unless caught there.
   */
  class Framework {
    constructor(options: Framework.Options);
    /** True between `start()` and `stop()`. */
    active: boolean;
    /** True once the existing spaces were discovered after `start()`. */
    initialized: boolean;
    isBotAccount: boolean;
    /** The bot's own person (an empty object before `start()` resolves). */
    person: Framework.Person;
    webhook: Framework.Webhook | false;
    cardsWebhook: Framework.Webhook;
    /** Resolves before the webhooks exist: wait for `initialized && cardsWebhook.id`. */
    start(): PromiseLike<boolean>;
    /** Deletes the webhooks and stops every bot. */
    stop(): PromiseLike<boolean>;
    /** The SDK instance, created by `start()` (an empty object before): its shape is the SDK's business. */
    getWebexSDK(): unknown;
    getBotByRoomId(roomId: string): Framework.Bot | undefined;
    /** A RegExp is tested against the whole text; the lowest `priority` of the matches runs. */
    hears(
      phrase: string | RegExp,
      action: (bot: Framework.Bot, trigger: Framework.MessageTrigger) => unknown,
      helpText?: string,
      priority?: number,
    ): string;
    on(
      event: 'attachmentAction',
      listener: (bot: Framework.Bot, trigger: Framework.AttachmentActionTrigger) => unknown,
    ): this;
    on(event: 'spawn', listener: (bot: Framework.Bot, id: string, addedBy?: string) => unknown): this;
    on(event: 'log', listener: (message: string) => unknown): this;
    /** Raw membership events of any space the bot is in (the alert space's members are its operators). */
    on(
      event: 'membershipCreated' | 'membershipUpdated' | 'membershipDeleted',
      listener: (membership: { roomId?: string } | undefined) => unknown,
    ): this;
  }

  export = Framework;
}

/**
 * The framework's webhook handler. It answers 200 at once, then checks `X-Spark-Signature` over
 * `JSON.stringify(req.body)` (not the raw bytes: the bot checks the raw bytes itself before) and
 * processes the event. Plain Node ESM needs the `.js` suffix; tsx and vitest also resolve the bare one.
 */
declare module 'webex-node-bot-framework/webhook.js' {
  import type Framework from 'webex-node-bot-framework';

  namespace webhook {
    interface Request {
      body?: unknown;
      headers: Record<string, string | string[] | undefined>;
    }
    interface Response {
      status(code: number): unknown;
      send(body: string): unknown;
    }
  }

  function webhook(framework: Framework): (req: webhook.Request, res?: webhook.Response) => Promise<unknown>;
  export = webhook;
}

declare module 'webex-node-bot-framework/webhook' {
  import webhook from 'webex-node-bot-framework/webhook.js';
  export = webhook;
}
