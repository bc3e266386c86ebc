/**
 * Hand-written types for `webex-node-bot-framework` 2.3.14 (it ships none), covering what a
 * bot uses. Written from the framework's source (`lib/framework.js`, `lib/bot.js`,
 * `lib/webhook.js`, `lib/process-event.js`) and checked against the Webex simulator.
 *
 * The framework returns when.js promises; they are thenables that `await` handles, typed
 * here as `Promise<…>`.
 *
 * Load the module only after `HYDRA_SERVICE_URL` / `U2C_SERVICE_URL` are set (the SDK reads
 * them once, when it loads): `const { default: Framework } = await import('webex-node-bot-framework')`.
 */
declare module 'webex-node-bot-framework' {
  import { EventEmitter } from 'node:events';

  namespace Framework {
    /** Message formats of `bot.say()` and card fallback text. */
    type MessageFormat = 'text' | 'markdown' | 'html';

    /** Options of `new Framework(options)`. */
    interface Options {
      /** The bot's access token. */
      token: string;
      /** Where Webex should POST events. Without it the framework uses websockets (not usable offline). */
      webhookUrl?: string;
      /** Secret for `X-Spark-Signature`; events with a missing or wrong signature are ignored. */
      webhookSecret?: string;
      /** Not read by the framework; kept for apps that pass their listen port along. */
      port?: number;
      /** Delete every webhook of the token on start and stop (default `true`); else only this app's. */
      removeWebhooksOnStart?: boolean;
      /** Websocket mode only. */
      removeDeviceRegistrationsOnStart?: boolean;
      /** Comma-separated email domains the bot may work with (membership rules). */
      restrictedToEmailDomains?: string;
      /** Comma-separated emails of people who must be in a space for the bot to work. */
      guideEmails?: string;
      membershipRulesDisallowedResponse?: string;
      membershipRulesStateMessageResponse?: string;
      membershipRulesAllowedResponse?: string;
      /** Default format of `bot.say()` strings and card fallback text (default `'text'`). */
      messageFormat?: MessageFormat;
      /** Maximum number of existing spaces to spawn bots for before `initialized`. */
      maxStartupSpaces?: number;
      /** Initial storage data for new bots. */
      initBotStorageData?: Record<string, unknown>;
      /** Framework instance id (default: random). */
      id?: string;
      /** Property of the request holding the parsed JSON body (default `'body'`). */
      webhookRequestJSONLocation?: string;
      /** Proxy for the SDK's websocket (websocket mode only). */
      httpsProxy?: string;
      /** Use the Webex FedRAMP environment. */
      fedramp?: boolean;
    }

    /** A Webex person, as `GET /people/{id}` returns it. */
    interface Person {
      id: string;
      emails: string[];
      displayName: string;
      nickName?: string;
      firstName?: string;
      lastName?: string;
      avatar?: string;
      orgId?: string;
      type?: 'person' | 'bot' | 'appuser';
      created?: string;
      lastActivity?: string;
      status?: string;
    }

    /** A Webex space. */
    interface Room {
      id: string;
      title: string;
      type: 'group' | 'direct';
      isLocked: boolean;
      teamId?: string;
      creatorId?: string;
      ownerId?: string;
      lastActivity?: string;
      created?: string;
    }

    /** Someone's membership of a space. */
    interface Membership {
      id: string;
      roomId: string;
      personId: string;
      personEmail: string;
      personDisplayName?: string;
      personOrgId?: string;
      isModerator: boolean;
      isMonitor?: boolean;
      roomType?: 'group' | 'direct';
      created: string;
    }

    /** A message attachment; in practice one Adaptive Card. */
    interface MessageAttachment {
      contentType: string;
      content: object;
    }

    /** A Webex message. */
    interface Message {
      id: string;
      roomId: string;
      roomType?: 'group' | 'direct';
      parentId?: string;
      text?: string;
      markdown?: string;
      html?: string;
      files?: string[];
      personId: string;
      personEmail: string;
      mentionedPeople?: string[];
      mentionedGroups?: string[];
      attachments?: MessageAttachment[];
      created: string;
      updated?: string;
    }

    /** The body of `POST /messages`, as `bot.say(object)` and `bot.reply(…, object)` take it. */
    interface MessageRequest {
      roomId?: string;
      toPersonId?: string;
      toPersonEmail?: string;
      parentId?: string;
      text?: string;
      markdown?: string;
      html?: string;
      files?: (string | NodeJS.ReadableStream)[];
      attachments?: MessageAttachment[];
    }

    /** A card submission (`GET /attachment/actions/{id}`). */
    interface AttachmentAction {
      id: string;
      type: string;
      messageId: string;
      inputs: Record<string, unknown>;
      personId: string;
      roomId: string;
      created: string;
    }

    /** A webhook registration. */
    interface Webhook {
      id: string;
      name: string;
      targetUrl: string;
      resource: string;
      event: string;
      filter?: string;
      secret?: string;
      status: 'active' | 'inactive';
      created: string;
      orgId?: string;
      createdBy?: string;
      appId?: string;
      ownedBy?: string;
    }

    /** `data` of a raw webhook event (`messageDeleted`, `membershipDeleted`). */
    interface EventData {
      id: string;
      roomId?: string;
      personId?: string;
      personEmail?: string;
      [key: string]: unknown;
    }

    /** What `hears` handlers and `message`/`mentioned` listeners get. */
    interface MessageTrigger {
      type: 'message';
      /** The message id. */
      id: string;
      message: Message;
      /**
       * The message text, trimmed, whitespace collapsed. In group spaces it still starts
       * with the @mention of the bot (its display name as the user typed it).
       */
      text?: string;
      /** `text` split on spaces (for string phrases: from the matched word on). */
      args: string[];
      /** The `hears` phrase that matched. */
      phrase?: string | RegExp;
      /** The sender, looked up with `GET /people/?id=`. */
      person: Person;
      personId: string;
      attachmentAction?: undefined;
    }

    /** What `attachmentAction` listeners get when someone submits a card. */
    interface AttachmentActionTrigger {
      type: 'attachmentAction';
      /** The attachment action id. */
      id: string;
      attachmentAction: AttachmentAction;
      /** The submitter. */
      person: Person;
      personId: string;
      message?: undefined;
      text?: undefined;
      args?: undefined;
    }

    /** Either kind of trigger. */
    type Trigger = MessageTrigger | AttachmentActionTrigger;

    /** A `hears` handler. The framework calls it without awaiting or catching. */
    type HearsAction = (bot: Bot, trigger: MessageTrigger, id: string) => unknown;

    /** A `setAuthorizer` function; return false to drop the command. */
    type Authorizer = (bot: Bot, trigger: MessageTrigger, id: string) => boolean | PromiseLike<boolean>;

    /** A paged list from the SDK. */
    interface Page<T> {
      readonly items: T[];
      readonly length: number;
      hasNext(): boolean;
      next(): Promise<Page<T>>;
    }

    /** Options of `webex.request()`: either `service` + `resource`, or `uri`. */
    interface RequestOptions {
      method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      service?: 'hydra' | (string & {});
      resource?: string;
      uri?: string;
      qs?: Record<string, string | number | boolean>;
      body?: unknown;
      headers?: Record<string, string>;
    }

    /** What `webex.request()` resolves with. */
    interface RequestResponse<T> {
      statusCode: number;
      headers: Record<string, string | string[] | undefined>;
      body: T;
    }

    /**
     * The error the SDK rejects with when Webex answers non-2xx (a `WebexHttpError`;
     * subclasses per status, e.g. `TooManyRequests` for 429). The SDK does not retry.
     */
    interface WebexHttpError extends Error {
      statusCode: number;
      /** Response headers, lower-case names. */
      headers: Record<string, string | string[] | undefined>;
      /** Parsed JSON error body: `{message, errors:[{description}], trackingId}`. */
      body: unknown;
      /** The `Retry-After` header, when Webex sent one (seconds, as a string). */
      retryAfter?: string;
    }

    /** The parts of the Webex JS SDK (2.4.2) a bot reaches through `getWebexSDK()`. */
    interface WebexSdk {
      request<T = unknown>(options: RequestOptions): Promise<RequestResponse<T>>;
      people: {
        get(personId: string): Promise<Person>;
        list(options: { email?: string; displayName?: string; id?: string; max?: number }): Promise<Page<Person>>;
      };
      rooms: {
        get(room: string | { id: string }): Promise<Room>;
        list(options?: { type?: 'group' | 'direct'; teamId?: string; max?: number }): Promise<Page<Room>>;
        create(room: { title: string; teamId?: string }): Promise<Room>;
        update(room: Room): Promise<Room>;
        remove(room: string | { id: string }): Promise<void>;
      };
      memberships: {
        get(membership: string | { id: string }): Promise<Membership>;
        list(options?: {
          roomId?: string;
          personId?: string;
          personEmail?: string;
          max?: number;
        }): Promise<Page<Membership>>;
        create(membership: {
          roomId: string;
          personId?: string;
          personEmail?: string;
          isModerator?: boolean;
        }): Promise<Membership>;
        update(membership: Membership): Promise<Membership>;
        remove(membership: string | { id: string }): Promise<void>;
      };
      messages: {
        create(message: MessageRequest): Promise<Message>;
        get(message: string | { id: string }): Promise<Message>;
        list(options: {
          roomId: string;
          parentId?: string;
          mentionedPeople?: string;
          before?: string;
          beforeMessage?: string;
          max?: number;
        }): Promise<Page<Message>>;
        remove(message: string | { id: string }): Promise<void>;
      };
      webhooks: {
        create(webhook: Omit<Webhook, 'id' | 'status' | 'created'>): Promise<Webhook>;
        get(webhook: string | { id: string }): Promise<Webhook>;
        list(options?: { max?: number }): Promise<Page<Webhook>>;
        update(webhook: Webhook): Promise<Webhook>;
        remove(webhook: string | { id: string }): Promise<void>;
      };
      attachmentActions: {
        get(attachmentAction: string | { id: string }): Promise<AttachmentAction>;
        create(attachmentAction: {
          type: 'submit';
          messageId: string;
          inputs: Record<string, unknown>;
        }): Promise<AttachmentAction>;
      };
    }

    /** A storage driver for `framework.storageDriver()` (the default keeps data in memory). */
    interface StorageDriver {
      getName?(): string;
      initStorage(id: string, initBotData: Record<string, unknown>): PromiseLike<unknown>;
      store(id: string, key: string, value: unknown): PromiseLike<unknown>;
      recall(id: string, key?: string): PromiseLike<unknown>;
      forget(id: string, key?: string): PromiseLike<unknown>;
      writeMetric?(bot: Bot, appData: unknown, actor?: unknown): PromiseLike<unknown>;
    }

    /** Events of a `Bot` (the framework emits the bot-related ones on the bot too; last arg: bot id). */
    interface BotEvents {
      start: [bot: Bot];
      stop: [bot: Bot];
      message: [bot: Bot, trigger: MessageTrigger, botId: string];
      mentioned: [bot: Bot, trigger: MessageTrigger, botId: string];
      files: [bot: Bot, trigger: MessageTrigger, botId: string];
      memberEnters: [bot: Bot, membership: Membership, botId: string];
      memberExits: [bot: Bot, membership: Membership, botId: string];
      memberAddedAsModerator: [bot: Bot, membership: Membership, botId: string];
      memberRemovedAsModerator: [bot: Bot, membership: Membership, botId: string];
      botAddedAsModerator: [bot: Bot, botId: string];
      botRemovedAsModerator: [bot: Bot, botId: string];
      roomLocked: [bot: Bot, room: Room, botId: string];
      roomUnlocked: [bot: Bot, room: Room, botId: string];
      roomRenamed: [bot: Bot, room: Room, botId: string];
      error: [error: Error];
    }

    /** Events of the framework. The trailing `id` is the framework id. */
    interface FrameworkEvents {
      start: [id: string];
      initialized: [id: string];
      stop: [id: string];
      /** A bot object was created for a space; `addedBy` is set when someone just added the bot. */
      spawn: [bot: Bot, id: string, addedBy?: string];
      /** The bot left or was removed from a space. */
      despawn: [bot: Bot, id: string, removedBy?: string];
      message: [bot: Bot, trigger: MessageTrigger, id: string];
      mentioned: [bot: Bot, trigger: MessageTrigger, id: string];
      files: [bot: Bot, trigger: MessageTrigger, id: string];
      /** Someone submitted a card the bot sent. The framework does not await listeners. */
      attachmentAction: [bot: Bot, trigger: AttachmentActionTrigger, id: string];
      memberEnters: [bot: Bot, membership: Membership, id: string];
      memberExits: [bot: Bot, membership: Membership, id: string];
      memberAddedAsModerator: [bot: Bot, membership: Membership, id: string];
      memberRemovedAsModerator: [bot: Bot, membership: Membership, id: string];
      botAddedAsModerator: [bot: Bot, id: string];
      botRemovedAsModerator: [bot: Bot, id: string];
      roomLocked: [bot: Bot, room: Room, id: string];
      roomUnlocked: [bot: Bot, room: Room, id: string];
      roomRenamed: [bot: Bot, room: Room, id: string];
      messageCreated: [message: Message, id: string];
      messageDeleted: [data: EventData, id: string];
      membershipCreated: [membership: Membership, id: string];
      membershipUpdated: [membership: Membership, id: string];
      membershipDeleted: [data: EventData, id: string];
      roomCreated: [room: Room, id: string];
      roomUpdated: [room: Room, id: string];
      /** Every webhook body received, before its signature is checked (debugging only). */
      webhook: [body: unknown];
      /** The framework's log lines. */
      log: [message: string];
      /** Membership-rules decisions (only with `restrictedToEmailDomains` / `guideEmails`). */
      membershipRulesAction: [...details: unknown[]];
      error: [error: Error];
    }

    /** The bot in one space. */
    class Bot extends EventEmitter<BotEvents> {
      constructor(framework: Framework);
      /** Random id of this bot object (not the Webex person id). */
      id: string;
      framework: Framework;
      active: boolean;
      room: Room;
      /** The bot's own Webex person. */
      person: Person;
      membership: Membership;
      email: string;
      isLocked: boolean;
      isModerator: boolean;
      isGroup: boolean;
      isDirect: boolean;
      isTeam: boolean;
      /** In a 1:1 space: the other person's email. */
      isDirectTo?: string;
      lastActivity: string;

      /** Posts to the space: a string in the default format, or a full message object. */
      say(message: string | MessageRequest): Promise<Message>;
      /** Posts a string in an explicit format. */
      say(format: MessageFormat, message: string): Promise<Message>;
      /** Posts `util.format(template, ...args)` in the default format. */
      say(template: string, ...args: unknown[]): Promise<Message>;
      /**
       * Posts a threaded reply. `replyTo` is a message id, a message or an attachment action;
       * the framework picks the thread root (`parentId`) itself.
       */
      reply(
        replyTo: string | Message | AttachmentAction,
        message: string | MessageRequest,
        format?: 'text' | 'markdown',
      ): Promise<Message>;
      /** Posts an Adaptive Card with fallback text (in the default message format). */
      sendCard(cardJson: object, fallbackText?: string): Promise<Message>;
      /** Sends a 1:1 message (by email or person id), creating the 1:1 space if needed. */
      dm(person: string, message: string | MessageRequest): Promise<Message>;
      dm(person: string, format: MessageFormat, message: string): Promise<Message>;
      /** Sends a card in a 1:1 space. */
      dmCard(person: string, cardJson: object, fallbackText?: string): Promise<Message>;
      /** Posts text with a local file. */
      sayWithLocalFile(message: string | null, filename: string): Promise<Message>;
      /** Posts a file from a stream. */
      uploadStream(stream: NodeJS.ReadableStream): Promise<Message>;
      /** Deletes a message the bot posted. */
      censor(messageId: string): Promise<void>;
      /** Leaves a group space. */
      exit(): Promise<boolean>;
      /** Adds people by email; resolves with the emails added. */
      add(email: string | string[], asModerator?: boolean): Promise<string[]>;
      /** Removes people by email; resolves with the emails removed. */
      remove(email: string | string[]): Promise<string[]>;
      getMembership(email: string): Promise<Membership>;
      roomRename(title: string): Promise<unknown>;
      getWebexSDK(): WebexSdk;
      /** Per-space storage (memory by default). */
      store(key: string, value: unknown): Promise<unknown>;
      recall(key?: string): Promise<unknown>;
      forget(key?: string): Promise<unknown>;
    }
  }

  /** The framework: one Webex identity, one bot object per space. */
  class Framework extends EventEmitter<Framework.FrameworkEvents> {
    constructor(options: Framework.Options);
    id: string;
    options: Framework.Options;
    /** True between `start()` and `stop()`. */
    active: boolean;
    /** True once existing spaces were discovered after `start()`. */
    initialized: boolean;
    isBotAccount: boolean;
    isUserAccount: boolean;
    /** The bot's own person (an empty object before `start()` resolves). */
    person: Framework.Person;
    /** The bot's email, known after `start()`. */
    email?: string;
    messageFormat: Framework.MessageFormat;
    /** The `all`/`all` webhook once created (empty object before; `false` if creating failed). */
    webhook: Partial<Framework.Webhook> | false;
    /** The `attachmentActions`/`created` webhook once created (empty object before). */
    cardsWebhook: Partial<Framework.Webhook>;
    /** One bot per discovered space. */
    bots: Framework.Bot[];
    /** The SDK instance (an empty object before `start()`). */
    webex: Framework.WebexSdk;

    /**
     * Reads the bot identity, then (webhook mode) replaces the webhooks in the background:
     * it resolves before they exist. Wait for `initialized && cardsWebhook.id` before
     * expecting events.
     */
    start(): Promise<boolean>;
    /** Deletes the webhooks and stops every bot. */
    stop(): Promise<boolean>;
    restart(): Promise<boolean>;
    getWebexSDK(): Framework.WebexSdk;
    getBotByRoomId(roomId: string): Framework.Bot | undefined;
    /**
     * Registers a command. A string phrase matches a whole word anywhere in the text
     * (case-insensitive) for bot accounts; a RegExp is tested against the whole text.
     * When several match, only the lowest `preference` runs. Returns the handler id.
     */
    hears(phrase: string | RegExp, action: Framework.HearsAction, helpText?: string, preference?: number): string;
    clearHears(hearsId: string): void;
    showHelp(header?: string, footer?: string): string;
    setAuthorizer(authorizer: Framework.Authorizer): boolean;
    clearAuthorizer(): void;
    storageDriver(driver: Framework.StorageDriver): Promise<boolean>;
    setWebexToken(token: string): Promise<string>;
    use(pluginPath: string): boolean;
  }

  export = Framework;
}

/**
 * The framework's webhook handler for Express-like servers. It answers 200 at once, then
 * checks `X-Spark-Signature` over `JSON.stringify(req.body)` (not the raw bytes) and
 * processes the event. Put `express.json()` before it, and wrap it so Express 5 does not see
 * the returned promise: `app.post('/webhook', (req, res) => { void handler(req, res); })`.
 *
 * Plain Node ESM needs the `.js` suffix (`webex-node-bot-framework/webhook.js`); tsx and
 * vitest also resolve the bare subpath.
 */
declare module 'webex-node-bot-framework/webhook' {
  import type Framework from 'webex-node-bot-framework';

  namespace webhook {
    /** The parts of a request the handler reads. */
    interface WebhookRequest {
      body?: unknown;
      headers: Record<string, string | string[] | undefined>;
    }
    /** The parts of a response the handler uses. */
    interface WebhookResponse {
      status(code: number): unknown;
      send(body: string): unknown;
    }
    type Handler = (req: WebhookRequest, res?: WebhookResponse) => Promise<unknown>;
  }

  function webhook(framework: Framework): webhook.Handler;
  export = webhook;
}

declare module 'webex-node-bot-framework/webhook.js' {
  import webhook from 'webex-node-bot-framework/webhook';
  export = webhook;
}
