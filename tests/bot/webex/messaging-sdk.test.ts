/**
 * The bot loads a messaging-only Webex SDK (bot/webex/messaging-sdk.ts) unless
 * WEBEX_SDK_PLUGINS=all: both must run the real framework end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../bot/app.js';
import { createRequire } from 'node:module';
import { isLoaded } from '../../../bot/deferred-modules.js';
import { MESSAGING_PLUGINS } from '../../../bot/webex/messaging-sdk.js';
import {
  type ChildBot,
  createWorld,
  eventually,
  spawnBot,
  startBot,
  withPort,
  type World,
} from '../../helpers/world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

async function answerTo(text: string): Promise<string> {
  const { message } = await world.webex.userSays({
    personId: world.operator.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  const answer = await eventually(
    () => world.webex.messagesIn(world.alertRoom.id).find((m) => m.parentId === message.id),
    10_000,
    `an answer to ${text}`,
  );
  return answer.markdown ?? answer.text ?? '';
}

describe('the Webex SDK the framework runs on', () => {
  it('is the messaging-only build by default: no meetings plugin, messages and people present', async () => {
    const app: App = await startBot(world.env());
    try {
      const sdk = app.framework.getWebexSDK?.() as Record<string, unknown>;
      expect(sdk.messages).toBeDefined();
      expect(sdk.people).toBeDefined();
      expect(sdk.attachmentActions).toBeDefined();
      expect(sdk.meetings).toBeUndefined();
      expect(MESSAGING_PLUGINS).not.toContain('@webex/plugin-meetings');
      expect(await answerTo('/help')).toContain('/status');

      // Dependencies loaded only for options the bot never sets stay unloaded (memory at rest)…
      const framework = createRequire(import.meta.url).resolve('webex-node-bot-framework');
      const fromWebex = createRequire(createRequire(framework).resolve('webex'));
      const request = createRequire(fromWebex.resolve('@webex/http-core')).resolve('request');
      expect(isLoaded(framework, 'validator')).toBe(false);
      expect(isLoaded(request, 'http-signature')).toBe(false);
      expect(isLoaded(request, 'har-validator')).toBe(false);
      expect(isLoaded(createRequire(import.meta.url).resolve('prom-client'), '@opentelemetry/api')).toBe(false);
      // …and work as published once used: the framework's own e-mail check goes through validator.
      const frameworkValidator = createRequire(framework)('./lib/validator.js') as { isEmail(s: string): boolean };
      expect(frameworkValidator.isEmail('soc@example.com')).toBe(true);
      expect(frameworkValidator.isEmail('not an address')).toBe(false);
      expect(isLoaded(framework, 'validator')).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('is webex as published with WEBEX_SDK_PLUGINS=all, and the bot still answers', async () => {
    const bot: ChildBot = spawnBot(await withPort(world.env({ WEBEX_SDK_PLUGINS: 'all', LOG_LEVEL: 'info' })));
    try {
      await bot.ready();
      expect(await answerTo('/help')).toContain('/status');
    } finally {
      await bot.stop();
    }
  });
});
