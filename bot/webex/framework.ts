/**
 * Loads webex-node-bot-framework pointed at the configured Webex API.
 *
 * Its SDK (webex 2.4.2) reads its base URLs from the environment once, when first loaded,
 * so the variables are set here and the module is imported afterwards; a second load in
 * the same process with a different URL is refused rather than silently ignored.
 */
import type { Config } from '../config.js';
import { preloadMessagingSdk } from './messaging-sdk.js';

export interface FrameworkPerson {
  id: string;
  emails?: string[];
  displayName?: string;
}

export interface FrameworkMessage {
  id: string;
  roomId: string;
  /** When Webex created it (ISO 8601). */
  created?: string;
  text?: string;
  html?: string;
  parentId?: string;
  mentionedPeople?: string[];
}

export interface FrameworkAttachmentAction {
  id: string;
  messageId: string;
  roomId: string;
  created?: string;
  personId: string;
  inputs?: unknown;
  parentId?: string;
}

export interface FrameworkBot {
  id: string;
  room: { id: string; type?: string };
  isDirect: boolean;
  say(format: 'markdown' | 'text', message: string): PromiseLike<{ id: string }>;
  reply(
    replyTo: FrameworkMessage | FrameworkAttachmentAction | string,
    message: string | object,
    format?: 'markdown' | 'text',
  ): PromiseLike<{ id: string }>;
  sendCard(card: object, fallbackText: string): PromiseLike<{ id: string }>;
}

export interface FrameworkTrigger {
  type: string;
  person: FrameworkPerson;
  message?: FrameworkMessage;
  attachmentAction?: FrameworkAttachmentAction;
}

export interface FrameworkLike {
  initialized: boolean;
  person?: FrameworkPerson;
  cardsWebhook?: { id?: string } | null;
  start(): PromiseLike<unknown>;
  stop(): PromiseLike<unknown>;
  hears(
    phrase: RegExp,
    action: (bot: FrameworkBot, trigger: FrameworkTrigger) => void,
    helpText?: string,
    priority?: number,
  ): unknown;
  on(event: 'attachmentAction', listener: (bot: FrameworkBot, trigger: FrameworkTrigger) => void): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  getBotByRoomId(roomId: string): FrameworkBot | undefined;
  /** The SDK instance, created by `start()` (an empty object before). */
  getWebexSDK?(): unknown;
}

export interface FrameworkOptions {
  token: string;
  webhookUrl?: string;
  webhookSecret?: string;
  removeWebhooksOnStart?: boolean;
  messageFormat?: 'markdown' | 'text';
}

export type FrameworkFactory = (opts: FrameworkOptions) => FrameworkLike;
export type WebhookHandlerFactory = (
  framework: FrameworkLike,
) => (req: { headers: Record<string, string>; body: unknown }) => unknown;

let loadedFor: string | undefined;

/** Points the SDK at `config.webex` and loads the framework (once per process). */
export async function loadFramework(
  webex: Config['webex'],
): Promise<{ createFramework: FrameworkFactory; webhookHandler: WebhookHandlerFactory }> {
  const target = `${webex.apiUrl} ${webex.u2cUrl ?? ''}`;
  if (loadedFor !== undefined && loadedFor !== target) {
    throw new Error('the Webex SDK was already loaded for another WEBEX_API_URL in this process');
  }
  process.env.HYDRA_SERVICE_URL = webex.apiUrl;
  if (webex.u2cUrl) process.env.U2C_SERVICE_URL = webex.u2cUrl;
  process.env.WEBEX_LOG_LEVEL ??= 'error';
  loadedFor = target;
  // After the variables (the SDK reads them when loaded), before the framework requires it.
  preloadMessagingSdk(webex.sdkPlugins);
  const frameworkModule = await import('webex-node-bot-framework');
  const webhookModule = await import('webex-node-bot-framework/webhook.js');
  const Framework = frameworkModule.default;
  const webhook = webhookModule.default;
  return {
    createFramework: (opts) => new Framework(opts) as FrameworkLike,
    webhookHandler: (framework) => webhook(framework as never),
  };
}
