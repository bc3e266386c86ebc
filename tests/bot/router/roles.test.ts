/**
 * Who may do what, through the real Router and Roles: operators, responders, a member of the alert
 * space, and a stranger who opened a 1:1 with the bot. A refusal is polite, names who may, changes
 * nothing and is audited; /help and /status answer everyone, with only what they may know.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Chat, PEOPLE, startChat } from '../../helpers/chat.js';

let chat: Chat | undefined;
afterEach(async () => {
  await chat?.close();
  chat = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Chat> {
  chat = await startChat({ env });
  return chat;
}

const { operator, responder, outsider, stranger } = PEOPLE;

describe('with BOT_OPERATORS listed', () => {
  it.each([
    ['/snooze 10.61.0.1 30d', 'snooze'],
    ['/tag 10.61.0.2', 'tag'],
    ['/untag 10.61.0.3', 'untag'],
    ['/incidents all', 'incidents'],
    ['/audit', 'audit'],
    ['/enrich 203.0.113.50', 'enrich'],
    ['/ack abcd2345', 'ack'],
  ])('refuses a stranger %s politely, and audits the attempt', async (text, command) => {
    const { say, services } = await start();
    const answer = await say(stranger, text, { direct: true });
    expect(answer.text).toBe(
      `Sorry, /${command} is for operators (BOT_OPERATORS). Nothing was changed; ask an operator or your bot admin.`,
    );
    const [entry, ...others] = await services.audit.recent(10);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      actor: { id: stranger.id, name: stranger.displayName, email: stranger.email },
      action: `/${command}`,
      target: `command:${command}`,
      outcome: 'denied',
      detail: 'needs operator',
    });
  });

  it('changes nothing for a refused stranger: the host it tried to snooze still gets its card', async () => {
    const { say, alert, services, clock } = await start();
    await say(stranger, '/snooze 10.61.0.1 30d', { direct: true });
    expect(await services.incidents.hostSnoozes.until('10.61.0.1', clock.now())).toBeUndefined();
    const { card } = await alert('10.61.0.1');
    expect(card.deleted).toBe(false);
  });

  it('refuses a member of the alert space who is in neither list', async () => {
    const { say } = await start();
    expect((await say(outsider, '/audit')).text).toMatch(/^Sorry, \/audit is for operators \(BOT_OPERATORS\)/);
  });

  it.each([
    ['/block 203.0.113.51', 'block'],
    ['/unblock 203.0.113.51', 'unblock'],
    ['/approve 3fa9c1', 'approve'],
  ])('refuses an operator %s: it is for responders', async (text, command) => {
    const { say, services } = await start();
    expect((await say(operator, text)).text).toBe(
      `Sorry, /${command} is for responders (BOT_RESPONDERS). Nothing was changed; ask a responder or your bot admin.`,
    );
    expect(await services.audit.recent(5)).toMatchObject([
      { actor: { id: operator.id }, action: `/${command}`, outcome: 'denied', detail: 'needs responder' },
    ]);
  });

  it('lets a responder do what operators do', async () => {
    const { say } = await start();
    expect((await say(responder, '/audit')).text).toBe('No response actions recorded yet.');
  });

  it('gives a stranger /help, with a word on why it can do nothing else', async () => {
    const { say } = await start();
    const answer = await say(stranger, '/help', { direct: true });
    expect(answer.text).toContain('`/status`');
    expect(answer.text).toContain(
      "You are not one of this bot's operators, so I can only show this help and my status.",
    );
  });

  it('tells a stranger on /status only whether the bot is up; an operator gets the details', async () => {
    const { say } = await start();
    expect((await say(stranger, '/status', { direct: true })).text).toBe(
      "**SNA ChatOps** is up. Details are for the SOC's operators.",
    );
    const details = (await say(operator, '/status')).text;
    expect(details).toContain('- SMC: not configured');
    expect(details).toContain('- Outbox: empty, every alert delivered');
  });

  it('refuses a stranger the Acknowledge button, audits it, and leaves the card as it was', async () => {
    const { press, alert, services, space } = await start();
    const { incident, card } = await alert('10.61.0.20');
    const answer = await press(stranger, card, 'ack');
    expect(answer.text).toBe(
      'Sorry, the Acknowledge button is for operators (BOT_OPERATORS). Nothing was changed; ask an operator or your bot admin.',
    );
    expect(await services.audit.recent(5)).toMatchObject([
      {
        actor: { id: stranger.id },
        action: 'ack',
        target: `incident:${incident.id}`,
        incidentId: incident.id,
        outcome: 'denied',
      },
    ]);
    expect(space.messages).toEqual([card]);
    expect((await services.incidents.get(incident.id))?.state).toBe('open');
  });
});

describe('with BOT_OPERATORS empty (the alert space decides)', () => {
  it('lets members work as operators and refuses a stranger, naming the alert space', async () => {
    const { say } = await start({ BOT_OPERATORS: '' });
    expect((await say(outsider, '/audit', { direct: true })).text).toBe('No response actions recorded yet.');
    expect((await say(stranger, '/audit', { direct: true })).text).toBe(
      'Sorry, /audit is for operators (the members of the alert space). Nothing was changed; ask an operator or your bot admin.',
    );
    expect((await say(stranger, '/help', { direct: true })).text).toContain(
      '**Operators (the members of the alert space)**',
    );
  });

  it('refuses a member once Webex reports they left the space', async () => {
    const { say, members, built } = await start({ BOT_OPERATORS: '' });
    expect((await say(outsider, '/audit', { direct: true })).text).not.toMatch(/^Sorry/);
    members.delete(outsider.id);
    // What the app does on Webex's memberships/deleted event in the alert space.
    await built.members.invalidate();
    expect((await say(outsider, '/audit', { direct: true })).text).toMatch(/^Sorry, \/audit is for operators/);
  });
});
