/**
 * Card presses through the real Router and action registry, over memory:// with Webex recorded at
 * the bot's seams: the alert space the outbox posts cards to, and the conversation under the card.
 * No upstream: Acknowledge, the checks every press goes through, and a digest's Open card.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_ACTIONS, DIGEST_OPEN_INPUT } from '../../../cards/digest.js';
import { type Chat, PEOPLE, startChat } from '../../helpers/chat.js';
import { cardButtons, cardText, cardVerbs } from '../../helpers/webex-double.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat();
});
afterEach(async () => {
  await chat.close();
});

const { operator, responder } = PEOPLE;

describe('Acknowledge', () => {
  it('replaces the card once with who took it, and answers nothing else', async () => {
    const { incident, card } = await chat.alert('10.20.0.1');
    expect(cardText(card.rendered)).toMatch(/^Open$/m);

    const answer = await chat.press(operator, card, 'ack');
    expect(answer.answers).toEqual([]);
    const updated = await chat.cardOf(incident.id);
    expect(chat.space.messages).toEqual([card, updated]);
    expect(card.deleted).toBe(true);
    expect(cardText(updated.rendered)).toMatch(/^Acknowledged by Jane Doe · /m);
    expect(cardVerbs(updated.rendered)).not.toContain('ack');
    expect(await chat.services.incidents.get(incident.id)).toMatchObject({
      state: 'acked',
      ack: { by: { id: operator.id, name: 'Jane Doe' } },
    });
  });

  it('handles a replayed press once: no answer, no second card', async () => {
    const { card } = await chat.alert('10.20.0.2');
    await chat.press(operator, card, 'ack', { id: 'press-replayed' });
    const after = chat.space.messages.length;
    const replay = await chat.press(responder, card, 'ack', { id: 'press-replayed' });
    expect(replay.answers).toEqual([]);
    expect(chat.space.messages).toHaveLength(after);
  });

  it('tells a second person who already took it (a press on the card it replaced still counts)', async () => {
    const { incident, card } = await chat.alert('10.20.0.3');
    await chat.press(operator, card, 'ack');
    const after = chat.space.messages.length;
    expect((await chat.press(responder, card, 'ack')).text).toBe('Already acknowledged by Jane Doe.');
    expect(chat.space.messages).toHaveLength(after);
    expect((await chat.services.incidents.get(incident.id))?.ack?.by.name).toBe('Jane Doe');
  });
});

describe('every press', () => {
  it('is refused from a card that does not show the incident it names (forged card data)', async () => {
    const { card: first } = await chat.alert('10.20.0.4');
    const { incident: other } = await chat.alert('10.20.0.5');
    const forged = { ...cardButtons(first.rendered).find((d) => d.action === 'ack'), incidentId: other.id };
    const answer = await chat.press(operator, first, 'ack', { inputs: forged });
    expect(answer.text).toBe('That card is out of date; use the latest card for this incident.');
    expect((await chat.services.incidents.get(other.id))?.state).toBe('open');
  });

  it.each([
    ['an unknown verb', { action: 'self-destruct', v: 1 }],
    ['a card format from another version', { action: 'ack', v: 99 }],
    ['no verb at all', { v: 1 }],
  ])('answers %s with a pointer to /status', async (_what, data) => {
    const { incident, card } = await chat.alert('10.20.0.6');
    const answer = await chat.press(operator, card, 'ack', { inputs: { ...data, incidentId: incident.id } });
    expect(answer.text).toBe(
      'That button is from a card I no longer understand. Send `/status` or wait for the next alert.',
    );
    expect((await chat.services.incidents.get(incident.id))?.state).toBe('open');
  });
});

describe("a digest's Open card", () => {
  const hosts = Array.from({ length: 12 }, (_, i) => `10.21.0.${i + 1}`);

  it('posts the picked host its own card with its buttons, once', async () => {
    await chat.report(hosts);
    const [digest, ...others] = chat.space.messages;
    const picked = (await chat.services.incidents.list()).find((i) => i.hostIp === '10.21.0.7');
    if (!digest || !picked) throw new Error('no digest card or no incident for 10.21.0.7');
    expect(others).toEqual([]);
    expect(cardText(digest.rendered)).toContain('12 new incidents');
    const open = cardButtons(digest.rendered).find((d) => d.action === DIGEST_ACTIONS.open);

    expect((await chat.press(operator, digest, DIGEST_ACTIONS.open)).text).toBe(
      'Pick a host in the list first, then press **Open card**.',
    );
    const first = await chat.press(operator, digest, DIGEST_ACTIONS.open, {
      inputs: { ...open, [DIGEST_OPEN_INPUT]: picked.id },
    });
    expect(first.answers).toEqual([]);
    const own = await chat.cardOf(picked.id);
    expect(cardText(own.rendered)).toContain('10.21.0.7');
    expect(cardVerbs(own.rendered)).toContain('ack');

    const again = await chat.press(operator, digest, DIGEST_ACTIONS.open, {
      inputs: { ...open, [DIGEST_OPEN_INPUT]: picked.id },
    });
    expect(again.text).toBe(
      `10.21.0.7 · High Total Traffic already has its own card (id ${picked.id}); its buttons are there.`,
    );
    expect(chat.space.messages).toHaveLength(2);
  });

  it('opens only a host that very card names', async () => {
    await chat.report(hosts);
    const { incident: elsewhere } = await chat.alert('10.21.1.1');
    const digest = chat.space.messages[0];
    if (!digest) throw new Error('no digest card');
    const open = cardButtons(digest.rendered).find((d) => d.action === DIGEST_ACTIONS.open);
    const answer = await chat.press(operator, digest, DIGEST_ACTIONS.open, {
      inputs: { ...open, [DIGEST_OPEN_INPUT]: elsewhere.id },
    });
    expect(answer.text).toBe('That host is not on this card; pick one from its list.');
  });
});
