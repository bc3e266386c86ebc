/**
 * Arbitrary chat text through the real framework and router, against the simulators: unicode,
 * control characters, markdown, mentions, huge messages and every command name with hostile
 * arguments, from an operator, a responder and an outsider, in the alert space and in a 1:1.
 * Whatever is typed, the bot answers with a readable message under Webex's size limit, never
 * with a stack trace, an internal error or an "undefined", and keeps running.
 *
 * Each run is a real round trip (~100–300 ms), so runs are few; FC_SEED explores other inputs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage, WebexRoom } from '../../sandbox/webex/index.js';
import { createWorld, eventually, startBot, type World } from '../helpers/world.js';
import { FC_SEED, commandLine, hostileText } from './arbitraries.js';

const MAX_MESSAGE_BYTES = 7439;

let world: World;
let app: App;
let direct: WebexRoom;

beforeAll(async () => {
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
  app = await startBot(world.env({ AUTO_ENRICH: 'false' }));
  direct = await world.webex.createRoom({
    title: 'Jane and the bot',
    type: 'direct',
    memberIds: [world.operator.id, world.webex.bot.id],
  });
  // Something for /incidents, /incident, /ack and friends to find.
  world.smc.addEvent({ typeId: 16, sourceIp: '10.99.0.1', targetIp: '203.0.113.99' });
  await eventually(() => world.cards().length > 0, 15_000, 'a first alert card');
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The bot's answers to `message`: threaded under it in a space, the next messages in a 1:1. */
function answersTo(message: WebexMessage, room: WebexRoom): WebexMessage[] {
  const bot = world.webex.bot.id;
  const all = world.webex.messagesIn(room.id);
  if (room.type === 'group') return all.filter((m) => m.personId === bot && m.parentId === message.id);
  return all.filter((m) => m.personId === bot && m.created >= message.created && m.id !== message.id);
}

/** What a reader must never see, unless they typed it themselves. */
function checkAnswer(answer: WebexMessage, typed: string): void {
  const text = answer.markdown ?? answer.text ?? '';
  expect(text.trim(), 'an empty answer').not.toBe('');
  expect(bytes(text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // stack frame
  expect(text).not.toMatch(/\b(?:TypeError|ReferenceError|SyntaxError|RangeError|ZodError)\b/);
  expect(text).not.toContain('[object Object]');
  expect(text).not.toContain('Something went wrong on my side');
  for (const word of ['undefined', 'NaN', 'null']) {
    if (!typed.includes(word)) expect(text, `"${word}" in the answer`).not.toMatch(new RegExp(`\\b${word}\\b`));
  }
}

const message = fc.oneof(
  { weight: 3, arbitrary: commandLine({ maxRepeat: 1500 }) },
  { weight: 2, arbitrary: hostileText({ maxRepeat: 1500 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '/',
      '/help',
      '/status',
      '/incidents',
      '/incident zzzzzzzz',
      '/block',
      '/block 203.0.113.0/24',
      '/snooze 10.99.0.1 999999w',
      '/enrich',
      '/audit 0',
      '/audit 99999999999999999999',
      '/approve __proto__',
      '/tag 10.99.0.1 constructor',
      `/help ${'x'.repeat(6000)}`,
      `/${'q'.repeat(7000)}`,
    ),
  },
);

describe('arbitrary chat text', () => {
  it('always gets a readable answer under the size limit, and the bot keeps running', async () => {
    const people: SimPerson[] = [world.operator, world.responder, world.outsider];
    let asked = 0;
    let everything = '';
    await fc.assert(
      fc.asyncProperty(
        message,
        fc.integer({ min: 0, max: people.length - 1 }),
        fc.boolean(),
        async (text, who, inDirect) => {
          const room = inDirect ? direct : world.alertRoom;
          const person = inDirect ? world.operator : (people[who] ?? world.operator);
          const mention = room.type === 'group';
          // Webex itself refuses longer messages, and a 1:1 message needs some text.
          const typed = mention ? `SNA Bot ${text}`.trim() : text;
          fc.pre(bytes(typed) <= MAX_MESSAGE_BYTES && (mention || text.trim() !== ''));
          asked += 1;
          everything += `\n${text}`;
          const { message: sent } = await world.webex.userSays({
            personId: person.id,
            roomId: room.id,
            text,
            mentionBot: mention,
          });
          const [answer] = await eventually(
            () => {
              const found = answersTo(sent, room);
              return found.length > 0 ? found : undefined;
            },
            15_000,
            `an answer to ${JSON.stringify(text.slice(0, 80))}`,
          );
          if (!answer) throw new Error('no answer');
          checkAnswer(answer, text);
        },
      ),
      { seed: FC_SEED, numRuns: 60, endOnFailure: true },
    );
    expect(asked).toBeGreaterThan(45);

    // Answers that came late (a second message from a slow command) are held to the same rules.
    await new Promise((r) => setTimeout(r, 500));
    for (const room of [world.alertRoom, direct]) {
      for (const m of world.webex.messagesIn(room.id)) {
        if (m.personId === world.webex.bot.id && (m.attachments?.length ?? 0) === 0) checkAnswer(m, everything);
      }
    }
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ webex: 'ready' });
  });
});
