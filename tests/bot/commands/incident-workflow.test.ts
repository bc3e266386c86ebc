/**
 * Working incidents from the keyboard, through the real Router, commands and services over
 * memory:// with the bot's clock, Webex recorded at the bot's seams: /ack, /assign, /resolve and
 * /snooze answer once and update the incident's card once; /incidents, /incident, /audit and
 * /history show what is there. No upstream is needed for any of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Chat, PEOPLE, startChat } from '../../helpers/chat.js';
import { cardButtons, cardText, cardVerbs } from '../../helpers/webex-double.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat();
});
afterEach(async () => {
  await chat.close();
});

const { operator, responder, stranger } = PEOPLE;
/** Cards the incident had, the one shown now last. */
const cardsOf = (id: string) => chat.space.messages.filter((m) => cardText(m.rendered).includes(`ID ${id}`));

describe('/ack, /assign, /resolve', () => {
  it('acknowledges once, and says who took it when asked again', async () => {
    const { incident } = await chat.alert('10.22.0.1');
    expect((await chat.say(operator, `/ack ${incident.id.toUpperCase()}`)).text).toBe(`Acknowledged ${incident.id}.`);
    expect(cardsOf(incident.id)).toHaveLength(2);
    expect(cardText((await chat.cardOf(incident.id)).rendered)).toMatch(/^Acknowledged by Jane Doe · /m);
    expect((await chat.say(responder, `/ack ${incident.id}`)).text).toBe(
      `${incident.id} is already acked (by Jane Doe).`,
    );
    expect(cardsOf(incident.id)).toHaveLength(2);
  });

  it('shows the owner, then the resolution and its note, on the card; the resolved card has no Acknowledge', async () => {
    const { incident } = await chat.alert('10.22.0.2');
    expect((await chat.say(operator, `/assign ${incident.id} riley@soc.example`)).text).toBe(
      `Assigned ${incident.id} to riley@soc.example.`,
    );
    expect(cardText((await chat.cardOf(incident.id)).rendered)).toContain('👤 Assigned to riley@soc.example');

    expect((await chat.say(operator, `/resolve ${incident.id} backup job, allow-listed`)).text).toBe(
      `Resolved ${incident.id}.`,
    );
    const resolved = await chat.cardOf(incident.id);
    expect(cardText(resolved.rendered)).toMatch(/^✅ Resolved by Jane Doe · .* — backup job, allow-listed$/m);
    expect(cardVerbs(resolved.rendered)).not.toContain('ack');
    expect(cardsOf(incident.id)).toHaveLength(3);

    expect((await chat.say(operator, `/resolve ${incident.id}`)).text).toBe(`${incident.id} was already resolved.`);
    expect(cardsOf(incident.id)).toHaveLength(3);
  });
});

describe('/snooze', () => {
  it('snoozes an incident: the card says until when', async () => {
    const { incident } = await chat.alert('10.22.1.1');
    const answer = await chat.say(operator, `/snooze ${incident.id} 2h`);
    expect(answer.text).toMatch(
      new RegExp(`^Snoozed incident ${incident.id} for 2h \\(until .+ UTC\\): no new cards until then\\.$`),
    );
    expect(cardsOf(incident.id)).toHaveLength(2);
    expect(cardText((await chat.cardOf(incident.id)).rendered)).toMatch(/^💤 Snoozed until /m);
  });

  it('keeps a snoozed host from getting a card until the snooze ends, on the bot clock', async () => {
    expect((await chat.say(operator, '/snooze 10.22.1.2 1h')).text).toMatch(/^Snoozed host 10\.22\.1\.2 for 1h /);
    await chat.report(['10.22.1.2', '10.22.1.3']);
    // More activity of the snoozed host, a minute later: still no card for it.
    chat.clock.advance(60_000);
    await chat.report(['10.22.1.2'], '203.0.113.98');
    expect(chat.space.messages.map((m) => cardText(m.rendered).includes('10.22.1.3'))).toEqual([true]);

    chat.clock.advance(61 * 60_000);
    const { card } = await chat.alert('10.22.1.2', '203.0.113.99');
    expect(cardText(card.rendered)).toContain('10.22.1.2');
  });
});

describe('showing incidents', () => {
  it('lists open incidents by default and every recent one with `all`', async () => {
    const { incident: open } = await chat.alert('10.22.2.1');
    const { incident: done } = await chat.alert('10.22.2.2');
    await chat.say(operator, `/resolve ${done.id}`);

    const [list] = (await chat.say(operator, '/incidents')).answers;
    expect(cardText(list?.card ?? fail('no card')).match(/10\.22\.2\.\d/g)).toEqual(['10.22.2.1']);
    const [all] = (await chat.say(operator, '/incidents all')).answers;
    expect(cardText(all?.card ?? fail('no card'))).toContain('10.22.2.2');
    expect(cardText(all?.card ?? fail('no card'))).toContain(open.id);
  });

  it('shows one incident as a card without buttons (they live on its own card)', async () => {
    const { incident } = await chat.alert('10.22.2.3');
    const [shown, ...rest] = (await chat.say(operator, `/incident ${incident.id}`)).answers;
    expect(rest).toEqual([]);
    const card = shown?.card ?? fail('no card');
    expect(cardText(card)).toContain('10.22.2.3');
    expect(cardButtons(card)).toEqual([]);
  });
});

describe('/audit and /history', () => {
  it('start empty, then show refused attempts with who tried', async () => {
    expect((await chat.say(operator, '/audit')).text).toBe('No response actions recorded yet.');
    expect((await chat.say(operator, '/history 10.22.3.1')).text).toBe('Nothing recorded about 10.22.3.1.');
    await chat.say(stranger, '/tag 10.22.3.1', { direct: true });
    await chat.say(operator, '/block 203.0.113.5');
    const audit = (await chat.say(operator, '/audit 5')).text.split('\n');
    expect(audit[0]).toBe('**Last 2**');
    expect(audit[1]).toMatch(/ · Jane Doe · \/block command:block · \*\*denied\*\* — needs responder$/);
    expect(audit[2]).toMatch(/ · Eve Stranger · \/tag command:tag · \*\*denied\*\* — needs operator$/);
  });
});

function fail(message: string): never {
  throw new Error(message);
}
