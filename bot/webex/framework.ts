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
  text?: string;
  html?: string;
  parentId?: string;
  mentionedPeople?: string[];
}

export interface FrameworkAttachmentAction {
  id: string;
  messageId: string;
  roomId: string;
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

/** Milliseconds the SDK waits to batch person lookups once we have shortened it (its default is 100). */
export const PEOPLE_LOOKUP_BATCH_MS = 1;

/**
 * The framework looks up the person behind every message (twice, one after the other) and every
 * card press before it hands them to us, through the SDK's people batcher, which waits
 * `config.people.batcherWait` (100 ms in webex 2.4.2) for more lookups to batch. That wait was most
 * of a press's latency and 200 ms of every command's. The framework has no option for it, so it is
 * set on the SDK's own config after `start()` created the SDK, before any event is handled (the
 * batcher reads the value when it first batches). Lookups made in the same tick are still batched.
 * Returns false when the SDK has no such setting (another SDK version): nothing is changed then.
 */
export function shortenPeopleLookupBatching(framework: FrameworkLike, waitMs = PEOPLE_LOOKUP_BATCH_MS): boolean {
  const sdk = framework.getWebexSDK?.();
  const people = isRecord(sdk) && isRecord(sdk.config) ? sdk.config.people : undefined;
  if (!isRecord(people) || typeof people.batcherWait !== 'number') return false;
  people.batcherWait = waitMs;
  return true;
}

interface Deferred {
  reject(reason: unknown): void;
  /** The batcher's own chain on the lookup (it re-rejects, and nothing else listens to it). */
  promise?: { catch?: (handler: () => void) => unknown };
}

interface PeopleBatcher {
  handleHttpError(reason: unknown): Promise<unknown>;
  getDeferredForRequest(id: string): Promise<Deferred>;
}

/**
 * webex 2.4.2's people batcher answers an HTTP error on `GET /people/?id=…` (a 500, a 429) by
 * settling nothing: its handler only looks for ids in a request *body*, and this lookup is a GET.
 * The lookups stay pending and stay in the batcher's table, so every later event from those
 * people waits on them: they were never heard again until a restart. This rejects them instead,
 * with the HTTP error: the framework drops the event in hand, and the next event from the same
 * person is looked up afresh. Returns false when the SDK has no such batcher (nothing changed).
 */
export function repairPeopleLookupErrors(framework: FrameworkLike): boolean {
  const sdk = framework.getWebexSDK?.();
  const people = isRecord(sdk) ? sdk.people : undefined;
  const batcher = isRecord(people) ? people.batcher : undefined;
  if (!isPeopleBatcher(batcher)) return false;
  const original = batcher.handleHttpError.bind(batcher);
  batcher.handleHttpError = (reason: unknown) => {
    const ids = lookedUpIds(reason);
    if (ids.length === 0) return original(reason);
    return Promise.all(
      ids.map((id) =>
        batcher.getDeferredForRequest(id).then(
          (deferred) => {
            // The framework handles the rejection of its own lookup; the batcher's internal
            // chain would otherwise surface as an unhandled rejection.
            deferred.promise?.catch?.(() => undefined);
            deferred.reject(reason);
          },
          () => undefined, // already settled
        ),
      ),
    );
  };
  return true;
}

/** The person ids of a failed `people/?id=A,B&showAllTypes=…` request. */
function lookedUpIds(reason: unknown): string[] {
  const options = isRecord(reason) ? reason.options : undefined;
  const resource = isRecord(options) ? options.resource : undefined;
  if (typeof resource !== 'string' || !resource.startsWith('people/?')) return [];
  const ids = new URLSearchParams(resource.slice('people/?'.length)).get('id');
  return ids ? ids.split(',').filter(Boolean) : [];
}

function isPeopleBatcher(value: unknown): value is PeopleBatcher {
  return (
    isRecord(value) && typeof value.handleHttpError === 'function' && typeof value.getDeferredForRequest === 'function'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
