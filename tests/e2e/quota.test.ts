/**
 * Quotas that cannot be bypassed or burned: XDR inspect (free text) takes from the same hourly
 * budget as XDR lookups, each person has a share per minute, and a source that was out of budget
 * reads as unavailable on cards, never as "no verdict".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardText, createWorld, eventually, startBot } from '../helpers/world.js';

let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  // Budgets count per fixed window (minute, hour). The bot's clock starts on a minute boundary (less
  // than a minute ahead of real time), so the tests below run inside one window however slow the
  // machine: a boundary crossed mid-test would rightly grant a second share and fail the counts.
  const offset = 60_000 - (Date.now() % 60_000);
  const now = () => new Date(Date.now() + offset);
  app = await startBot(world.env({ XDR_HOURLY_BUDGET: '6', ENRICH_PER_PERSON_PER_MINUTE: '5' }), { now });
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

async function ask(text: string, person: SimPerson): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(
    () =>
      world.webex
        .messagesIn(world.alertRoom.id)
        .find((m) => m.personId === world.webex.bot.id && m.parentId === message.id),
    15_000,
    `the answer to ${text}`,
  );
}

const inspectCalls = () => world.xdr.calls.filter((c) => c.path === '/iroh/iroh-inspect/inspect').length;

describe('enrichment quotas', () => {
  it('lets one person take no more than their share, however many free-text /enrich they send', async () => {
    const answers: string[] = [];
    for (let n = 0; n < 40; n++) {
      answers.push((await ask(`/enrich the beaconing host from ticket ${n}, please`, world.operator)).markdown ?? '');
    }
    expect(inspectCalls()).toBe(5);
    expect(answers.filter((a) => a.includes('You have used your 5 lookups for this minute'))).toHaveLength(35);
  });

  it('counts XDR inspect calls against the hourly XDR budget', async () => {
    const status = await ask('/status', world.responder);
    expect(status.markdown).toContain('Cisco XDR 1/6');
  });

  it('shows an out-of-budget source as unavailable, never as "no verdict", on the verdict and the alert card', async () => {
    world.xdr.setVerdict({ type: 'ip', value: '203.0.113.90' }, { disposition: 2 });
    const answer = await ask('/enrich 203.0.113.90', world.responder);
    const text = cardText(answer);
    expect(text).toMatch(/Cisco XDR · unavailable — request quota used up/);
    expect(text).toMatch(/Unknown \(incomplete: 1 source unavailable\)/);

    world.smc.addEvent({ typeId: 16, sourceIp: '10.90.0.1', targetIp: '203.0.113.90' });
    const card = await eventually(
      () => world.cards().find((m) => cardText(m).includes('10.90.0.1') && cardText(m).includes('Peer verdict')),
      15_000,
      'the alert card with its peer verdict',
    );
    // The verdict sources that answered are counted (Secure Endpoint, VirusTotal: auto-enrichment does
    // not ask SNA, which gives no verdict); XDR, which could not be asked, is named apart.
    expect(cardText(card)).toMatch(
      /no verdict from 2 sources · Cisco XDR unavailable \(request quota used up for now\)/,
    );
  });
});
