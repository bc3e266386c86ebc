/**
 * Tag, Untag, Block, Unblock and Escalate pressed on an alert card: the real Router, actions and
 * services over memory://, the real SMC and XDR clients against the simulators (the wire matters:
 * host groups, judgements, feeds), and Webex recorded at the bot's seams. What a responder notices:
 * the card shows what was done, the audit says it once, a replayed press does nothing, a refusal
 * or an upstream failure is said plainly and changes nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmcSimulator, startSmcSimulator } from '../../../sandbox/smc/index.js';
import { type XdrSimulator, startXdrSimulator } from '../../../sandbox/xdr/index.js';
import { type Chat, PEOPLE, startChat } from '../../helpers/chat.js';
import { hostGroup } from '../../helpers/smc.js';
import { cardText, cardVerbs } from '../../helpers/webex-double.js';

const GROUP = 'SNA ChatOps Quarantine';
const { operator, responder } = PEOPLE;
let smc: SmcSimulator;
let xdr: XdrSimulator;
let chat: Chat;

beforeAll(async () => {
  smc = await startSmcSimulator({ pollsUntilComplete: 0 });
  xdr = await startXdrSimulator();
});
afterAll(async () => {
  await smc.close();
  await xdr.close();
});
beforeEach(async () => {
  smc.reset();
  xdr.reset();
  chat = await startChat({ smc, xdr, env: { PROTECTED_RANGES: '198.51.100.0/24' } });
});
afterEach(async () => {
  await chat.close();
});

const judgementsFor = (value: string) =>
  xdr.state().judgements.filter((j) => (j as { observable?: { value?: string } }).observable?.value === value);
const smcWrites = () => smc.calls.filter((c) => c.method === 'PUT' || c.method === 'POST').length;
const auditOf = async (action: string) => (await chat.services.audit.recent(50)).filter((e) => e.action === action);

/** An upstream failure as a person reads it: what failed, nothing changed, a reference, no internals. */
function expectPlainFailure(text: string, what: string): void {
  expect(text).toMatch(new RegExp(`^That didn't work: ${what}\\. Nothing was changed\\. \\(ref [0-9a-f]{6}\\)$`));
  expect(text).not.toMatch(/127\.0\.0\.1|http|ctia|\/tags|Error|stack|at .+:\d+/);
}

describe('Tag host', () => {
  it('puts the host into the quarantine group, shows it on the card once, and audits it once', async () => {
    const { incident, card } = await chat.alert('10.30.0.1');
    const answer = await chat.press(operator, card, 'tag');
    expect(answer.answers).toEqual([]);
    expect(hostGroup(smc, GROUP)?.ranges).toEqual(['10.30.0.1']);
    const updated = await chat.cardOf(incident.id);
    expect(chat.space.messages).toEqual([card, updated]);
    expect(cardText(updated.rendered)).toMatch(new RegExp(`^🏷 Tagged in ${GROUP} by Jane Doe · `, 'm'));
    expect(cardVerbs(updated.rendered)).toContain('untag');
    expect(await auditOf('tag')).toMatchObject([
      { actor: { id: operator.id }, target: 'host:10.30.0.1', outcome: 'done', incidentId: incident.id },
    ]);
  });

  it('does nothing for a replayed press', async () => {
    const { card } = await chat.alert('10.30.0.2');
    await chat.press(operator, card, 'tag', { id: 'press-tag-once' });
    const writes = smcWrites();
    const cards = chat.space.messages.length;
    const replay = await chat.press(operator, card, 'tag', { id: 'press-tag-once' });
    expect(replay.answers).toEqual([]);
    expect(smcWrites()).toBe(writes);
    expect(chat.space.messages).toHaveLength(cards);
    expect(await auditOf('tag')).toHaveLength(1);
  });

  it('takes it out again with Untag on the updated card', async () => {
    const { incident, card } = await chat.alert('10.30.0.3');
    await chat.press(operator, card, 'tag');
    await chat.press(operator, await chat.cardOf(incident.id), 'untag');
    expect(hostGroup(smc, GROUP)?.ranges).toEqual([]);
    const latest = await chat.cardOf(incident.id);
    expect(cardText(latest.rendered)).toMatch(new RegExp(`^Removed from ${GROUP} by Jane Doe · `, 'm'));
    expect(cardVerbs(latest.rendered)).toContain('tag');
  });

  it('reports an SMC failure plainly, audits it, and leaves the host and the card as they were', async () => {
    const { incident, card } = await chat.alert('10.30.0.4');
    smc.failNext(1, 503, { method: 'PUT' });
    const answer = await chat.press(operator, card, 'tag');
    expectPlainFailure(answer.text, 'the SMC had an internal error \\(503\\)');
    expect(hostGroup(smc, GROUP)?.ranges ?? []).not.toContain('10.30.0.4');
    expect(chat.space.messages).toEqual([card]);
    expect((await chat.services.incidents.get(incident.id))?.tag).toBeUndefined();
    expect(await auditOf('tag')).toMatchObject([{ target: 'host:10.30.0.4', outcome: 'failed' }]);
  });
});

describe('Block peer', () => {
  it('puts the peer on the XDR feed, shows who blocked on the card once, and audits it once', async () => {
    const { incident, card } = await chat.alert('10.40.0.1', '203.0.113.7');
    const answer = await chat.press(responder, card, 'block');
    expect(answer.answers).toEqual([]);
    const [judgement, ...more] = judgementsFor('203.0.113.7');
    expect(more).toEqual([]);
    expect(judgement).toMatchObject({ disposition: 2, source: 'SNA ChatOps' });
    expect(String((judgement as { reason?: string }).reason)).toContain(`Riley Responder`);
    const updated = await chat.cardOf(incident.id);
    expect(chat.space.messages).toEqual([card, updated]);
    expect(cardText(updated.rendered)).toMatch(/^⛔ Blocked 203\.0\.113\.7 by Riley Responder · /m);
    expect(cardVerbs(updated.rendered)).toContain('unblock');
    expect(await auditOf('block')).toMatchObject([
      { actor: { id: responder.id }, target: 'ip:203.0.113.7', outcome: 'done', incidentId: incident.id },
    ]);
  });

  it('blocks once for a replayed press', async () => {
    const { card } = await chat.alert('10.40.0.2', '203.0.113.8');
    await chat.press(responder, card, 'block', { id: 'press-block-once' });
    const cards = chat.space.messages.length;
    const replay = await chat.press(responder, card, 'block', { id: 'press-block-once' });
    expect(replay.answers).toEqual([]);
    expect(judgementsFor('203.0.113.8')).toHaveLength(1);
    expect(chat.space.messages).toHaveLength(cards);
    expect(await auditOf('block')).toHaveLength(1);
  });

  it('refuses an operator who is not a responder, audits it, and blocks nothing', async () => {
    const { incident, card } = await chat.alert('10.40.0.3', '203.0.113.9');
    const answer = await chat.press(operator, card, 'block');
    expect(answer.text).toBe(
      'Sorry, the Block peer button is for responders (BOT_RESPONDERS). Nothing was changed; ask a responder or your bot admin.',
    );
    expect(judgementsFor('203.0.113.9')).toEqual([]);
    expect(xdr.calls.filter((c) => c.path.startsWith('/ctia/'))).toEqual([]);
    expect(chat.space.messages).toEqual([card]);
    expect(await auditOf('block')).toMatchObject([
      { actor: { id: operator.id }, target: `incident:${incident.id}`, outcome: 'denied' },
    ]);
  });

  it('refuses a protected peer with the reason, and audits the refusal', async () => {
    const { card } = await chat.alert('10.40.0.4', '198.51.100.20');
    const answer = await chat.press(responder, card, 'block');
    expect(answer.text).toMatch(/^Not blocked: .*PROTECTED\\_RANGES/);
    expect(judgementsFor('198.51.100.20')).toEqual([]);
    expect(await auditOf('block')).toMatchObject([{ target: 'ip:198.51.100.20', outcome: 'refused' }]);
  });

  it('reports an XDR failure plainly, audits it, and leaves the feed and the card as they were', async () => {
    const { incident, card } = await chat.alert('10.40.0.5', '203.0.113.10');
    xdr.failNext(1, 500, { method: 'POST', pathPrefix: '/ctia/judgement' });
    const answer = await chat.press(responder, card, 'block');
    expectPlainFailure(answer.text, 'Cisco XDR had an internal error \\(500\\)');
    expect(judgementsFor('203.0.113.10')).toEqual([]);
    expect(chat.space.messages).toEqual([card]);
    expect((await chat.services.incidents.get(incident.id))?.block).toBeUndefined();
    expect(await auditOf('block')).toMatchObject([{ target: 'ip:203.0.113.10', outcome: 'failed' }]);
  });

  it('lifts the block with Unblock on the updated card', async () => {
    const { incident, card } = await chat.alert('10.40.0.6', '203.0.113.11');
    await chat.press(responder, card, 'block');
    await chat.press(responder, await chat.cardOf(incident.id), 'unblock');
    expect(await chat.services.blocks?.active({ type: 'ip', value: '203.0.113.11' })).toBeUndefined();
    expect(cardText((await chat.cardOf(incident.id)).rendered)).toMatch(
      /^Unblocked 203\.0\.113\.11 by Riley Responder/m,
    );
    expect(await auditOf('unblock')).toMatchObject([{ target: 'ip:203.0.113.11', outcome: 'done' }]);
  });
});

describe('Escalate', () => {
  it('opens one XDR incident, shows it on the card, and a replayed press opens no second one', async () => {
    const { incident, card } = await chat.alert('10.50.0.1', '203.0.113.12');
    await chat.press(operator, card, 'escalate', { id: 'press-escalate-once' });
    expect(xdr.state().incidents).toHaveLength(1);
    expect(cardText((await chat.cardOf(incident.id)).rendered)).toMatch(/^⬆ Escalated to XDR incident /m);
    const replay = await chat.press(operator, card, 'escalate', { id: 'press-escalate-once' });
    expect(replay.answers).toEqual([]);
    expect(xdr.state().incidents).toHaveLength(1);
  });
});
