/**
 * The Webex SDK that webex-node-bot-framework loads, with only the plugins a messaging bot uses.
 *
 * The framework does `require('webex')`, and webex 2.4.2's entry point loads every plugin,
 * meetings, calendar, presence, support and device manager included: about 14 MB of resident
 * memory the bot never uses (the framework calls people, rooms, memberships, messages, teams,
 * team memberships, webhooks and attachment actions, and `request`; in websocket mode also the
 * `listen()` of four of them, which need device registration and the Mercury websocket). This builds the same `Webex`
 * class from `@webex/webex-core` and the plugins the framework uses, exactly as webex's own
 * `dist/webex.js` does, and registers it in the CommonJS module cache under webex's entry point,
 * so the framework's `require('webex')` gets it. This is the workaround the SDK's maintainers
 * suggest for Node ("import the plugins one by one, leaving out meetings").
 *
 * webex's entry point also loads `@babel/polyfill` (core-js 2) into the process's globals. Its
 * plugins do not need it (they are compiled against `@babel/runtime-corejs2`, which brings its own
 * helpers without touching globals, and Node 20 has every feature it adds), and it costs: about
 * 9 MB of resident memory, and core-js 2 *replaces* Node's own `parseInt`, `parseFloat` and
 * `String.prototype.trim` family with much slower JavaScript versions (it judges them wrong
 * because U+180E is no longer whitespace), for every module of the process: address parsing
 * (ipaddr.js calls `parseInt` per octet) took most of a large burst's time. So it is left out.
 *
 * Must run before the framework is first loaded. Does nothing when webex is already loaded, or
 * when `WEBEX_SDK_PLUGINS=all` asks for the full SDK.
 */
import { createRequire, Module } from 'node:module';
import { deferModule } from '../deferred-modules.js';

/**
 * What the framework uses, plus authorization and device (the SDK's own start-up needs them), and
 * mercury, the event websocket of websocket mode (no `WEBEX_WEBHOOK_URL`): the framework's
 * `messages/memberships/rooms/attachmentActions.listen()` register a device (WDM) and connect it.
 * Mercury brings `feature` and `metrics`, which it calls; the messages, memberships, rooms and
 * attachment-actions plugins already require mercury and `conversation` (with `encryption`)
 * themselves, so listing mercury changes nothing that loads: it says what websocket mode needs.
 */
export const MESSAGING_PLUGINS = [
  '@webex/plugin-authorization',
  '@webex/internal-plugin-device',
  '@webex/internal-plugin-mercury',
  '@webex/plugin-attachment-actions',
  '@webex/plugin-logger',
  '@webex/plugin-messages',
  '@webex/plugin-memberships',
  '@webex/plugin-people',
  '@webex/plugin-rooms',
  '@webex/plugin-teams',
  '@webex/plugin-team-memberships',
  '@webex/plugin-webhooks',
] as const;

/**
 * Required by the messages, attachment-actions, memberships and rooms plugins only to decrypt what
 * the event websocket brings (their `listen()`), with the encryption plugin and its cryptography
 * (node-jose, pkijs, node-forge…: about 400 modules, 15 MB of resident memory). In webhook mode
 * nothing listens: events arrive as webhooks and are fetched over REST. So in that mode these
 * plugins get an empty module in its place.
 */
const WEBSOCKET_ONLY = '@webex/internal-plugin-conversation';
const REQUIRE_WEBSOCKET_ONLY = [
  '@webex/plugin-attachment-actions',
  '@webex/plugin-messages',
  '@webex/plugin-memberships',
  '@webex/plugin-rooms',
] as const;

interface WebexClass {
  init(attrs?: { config?: object }): unknown;
}

interface WebexCoreModule {
  default: { extend(props: object): WebexClass & (new (attrs: object) => unknown) };
}

export function preloadMessagingSdk(
  plugins: 'messaging' | 'all' = 'messaging',
  mode: 'webhook' | 'websocket' = 'websocket',
): void {
  const fromFramework = createRequire(createRequire(import.meta.url).resolve('webex-node-bot-framework'));
  const entry = fromFramework.resolve('webex');
  if (plugins === 'all' || fromFramework.cache[entry]) return;

  const fromWebex = createRequire(entry);
  // Loaded with the framework and the SDK's HTTP client (`request`), used only for options the bot
  // never sets: loaded on first use instead (see deferred-modules.ts).
  deferModule(fromFramework.resolve('webex-node-bot-framework'), 'validator');
  const request = createRequire(fromWebex.resolve('@webex/http-core')).resolve('request');
  deferModule(request, 'http-signature');
  deferModule(request, 'har-validator');
  if (mode === 'webhook') {
    for (const plugin of REQUIRE_WEBSOCKET_ONLY) {
      const path = createRequire(fromWebex.resolve(plugin)).resolve(WEBSOCKET_ONLY);
      fromFramework.cache[path] ??= emptyModule(path);
    }
  }
  // Unlike webex's own entry point, no `@babel/polyfill` (see the header).
  for (const plugin of MESSAGING_PLUGINS) fromWebex(plugin);
  const WebexCore = (fromWebex('@webex/webex-core') as WebexCoreModule).default;
  const config = fromWebex('./config') as object;
  const merge = fromWebex('lodash/merge') as (...objects: object[]) => object;
  const { version } = fromWebex('../package.json') as { version: string };

  // As webex/dist/webex.js: the same class, the same defaults merged under the caller's config.
  const Webex = WebexCore.extend({ webex: true, version });
  Webex.init = (attrs: { config?: object } = {}) =>
    new Webex({ ...attrs, config: merge({}, config, attrs.config ?? {}) });

  const module = emptyModule(entry);
  module.exports = Webex;
  fromFramework.cache[entry] = module;
}

/** A loaded CommonJS module with nothing in it, for the module cache. */
function emptyModule(path: string): Module {
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = {};
  return module;
}
