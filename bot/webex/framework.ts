/**
 * Loads webex-node-bot-framework pointed at the configured Webex API.
 *
 * Its SDK (webex 2.4.2) reads its base URLs from the environment once, when first loaded,
 * so the variables are set here and the module is imported afterwards; a second load in
 * the same process with a different URL or mode (webhook mode loads less of the SDK) is refused
 * rather than silently ignored.
 */
import type Framework from 'webex-node-bot-framework';
import type webhook from 'webex-node-bot-framework/webhook.js';
import type { Config } from '../config.js';
import { preloadMessagingSdk } from './messaging-sdk.js';

/** What the bot uses of the framework, described once in `types/webex-node-bot-framework.d.ts`. */
export type FrameworkLike = Framework;
export type FrameworkBot = Framework.Bot;
export type FrameworkMessage = Framework.Message;
export type FrameworkAttachmentAction = Framework.AttachmentAction;
export type FrameworkMessageTrigger = Framework.MessageTrigger;
export type FrameworkActionTrigger = Framework.AttachmentActionTrigger;
export type FrameworkOptions = Framework.Options;

export type FrameworkFactory = (opts: FrameworkOptions) => Framework;
export type WebhookHandlerFactory = (framework: Framework) => (req: webhook.Request) => unknown;

let loadedFor: string | undefined;

/** Points the SDK at `config.webex` and loads the framework (once per process). */
export async function loadFramework(
  webex: Config['webex'],
): Promise<{ createFramework: FrameworkFactory; webhookHandler: WebhookHandlerFactory }> {
  const mode = webex.webhookUrl ? 'webhook' : 'websocket';
  const target = `${webex.apiUrl} ${webex.u2cUrl ?? ''} ${mode}`;
  if (loadedFor !== undefined && loadedFor !== target) {
    throw new Error('the Webex SDK was already loaded for another WEBEX_API_URL or mode in this process');
  }
  process.env.HYDRA_SERVICE_URL = webex.apiUrl;
  if (webex.u2cUrl) process.env.U2C_SERVICE_URL = webex.u2cUrl;
  process.env.WEBEX_LOG_LEVEL ??= 'error';
  loadedFor = target;
  // After the variables (the SDK reads them when loaded), before the framework requires it.
  preloadMessagingSdk(webex.sdkPlugins, mode);
  const frameworkModule = await import('webex-node-bot-framework');
  const webhookModule = await import('webex-node-bot-framework/webhook.js');
  const FrameworkClass = frameworkModule.default;
  const handlerFor = webhookModule.default;
  return {
    createFramework: (opts) => new FrameworkClass(opts),
    webhookHandler: (framework) => handlerFor(framework),
  };
}
