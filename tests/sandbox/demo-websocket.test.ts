/**
 * `npm run demo -- --websocket`: the whole demo with the bot in websocket mode. The web space is
 * used as its page uses it (people post through its `/v1` proxy with their own tokens); the bot
 * hears them over the simulated Mercury websocket, as no webhook exists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../sandbox/demo/index.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { cardActions, cardText, eventually } from '../helpers/world.js';

let demo: Demo;
const dir = mkdtempSync(join(tmpdir(), 'sna-chatops-demo-ws-'));

beforeAll(async () => {
  demo = await startDemo({
    freePorts: true,
    pace: 'fast',
    calm: false,
    transport: 'websocket',
    logLevel: 'silent',
    stateFile: join(dir, 'demo.sqlite'),
  });
}, 60_000);
afterAll(async () => {
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the page does: `POST /v1/…` through the web space, as a person. */
async function asPerson(personId: string, path: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(path, demo.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.webex.tokenFor(personId)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

function cards(): WebexMessage[] {
  return demo.webex.messagesIn(demo.alertRoom.id).filter((m) => (m.attachments?.length ?? 0) > 0);
}

describe('the demo in websocket mode', () => {
  it('runs the bot with a device and a websocket, and no webhook', () => {
    const bot = demo.webex.bot.id;
    expect(demo.webex.state.webhooks).toEqual([]);
    expect(demo.webex.mercury.connections.filter((c) => c.personId === bot && c.state === 'authorized')).toHaveLength(
      1,
    );
  });

  it('answers what a person types in the web space, and acts on a card button pressed there', async () => {
    const person = demo.people.find((p) => p.role === 'operator') ?? demo.people[0];
    if (!person) throw new Error('the demo has no people');
    const bot = demo.webex.bot;
    const question = await asPerson(person.id, 'v1/messages', {
      roomId: demo.alertRoom.id,
      markdown: `<@personId:${bot.id}|${bot.displayName}> /help`,
    });
    const answer = await eventually(
      () => demo.webex.messagesIn(demo.alertRoom.id).find((m) => m.parentId === question.id && m.personId === bot.id),
      15_000,
      'the answer to /help',
    );
    expect(answer.markdown).toContain('/status');

    const card = await eventually(
      () => cards().find((m) => cardActions(m).some((a) => a.data?.action === 'ack')),
      30_000,
      'an alert card with Acknowledge',
    );
    const ack = cardActions(card).find((a) => a.data?.action === 'ack');
    await asPerson(person.id, 'v1/attachment/actions', { type: 'submit', messageId: card.id, inputs: ack?.data ?? {} });
    await eventually(
      () => cards().some((m) => cardText(m).includes(`Acknowledged by ${person.displayName}`)),
      30_000,
      'the acknowledged card',
    );
    expect(demo.webex.deliveries).toEqual([]);
  });
});
