/**
 * /tag, /untag, /block, /unblock, /approve and /history from the keyboard: the real Router, commands
 * and services over memory://, the real SMC and XDR clients against the simulators (the wire
 * matters: host groups, judgements and their validity), Webex recorded at the bot's seams. Each
 * answer says what happened; the audit and /history say it once; a failure is said plainly.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmcSimulator, startSmcSimulator } from '../../../sandbox/smc/index.js';
import { type XdrSimulator, startXdrSimulator } from '../../../sandbox/xdr/index.js';
import { type Chat, PEOPLE, startChat } from '../../helpers/chat.js';
import { hostGroup } from '../../helpers/smc.js';

const GROUP = 'SNA ChatOps Quarantine';
const { operator, responder, responder2 } = PEOPLE;
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
beforeEach(() => {
  smc.reset();
  xdr.reset();
});
afterEach(async () => {
  await chat.close();
});

async function start(env: Record<string, string> = {}): Promise<Chat> {
  chat = await startChat({ smc, xdr, env });
  return chat;
}

type Judgement = {
  observable?: { value?: string };
  reason?: string;
  valid_time?: { start_time: string; end_time: string };
};
const judgementsFor = (value: string) =>
  (xdr.state().judgements as Judgement[]).filter((j) => j.observable?.value === value);

describe('/tag and /untag', () => {
  it('tag, say when nothing changed, untag, and /history shows both steps once', async () => {
    const { say } = await start();
    expect((await say(operator, '/tag 10.30.1.1')).text).toBe(`Tagged 10.30.1.1 in **${GROUP}**.`);
    expect(hostGroup(smc, GROUP)?.ranges).toEqual(['10.30.1.1']);
    expect((await say(operator, '/tag 10.30.1.1')).text).toBe(`10.30.1.1 is already in **${GROUP}**; nothing changed.`);
    expect((await say(operator, '/untag 10.30.1.1')).text).toBe(`Removed 10.30.1.1 from **${GROUP}**.`);
    expect(hostGroup(smc, GROUP)?.ranges).toEqual([]);

    const history = (await say(operator, '/history 10.30.1.1')).text.split('\n');
    expect(history[0]).toBe('**History of 10.30.1.1**');
    expect(history.slice(1).map((line) => line.replace(/^- .+? · /, ''))).toEqual([
      'Jane Doe · untag host:10.30.1.1 · **done** — untagged in host group SNA ChatOps Quarantine (' +
        String(hostGroup(smc, GROUP)?.id) +
        ')',
      'Jane Doe · tag host:10.30.1.1 · **already** — already-tagged in host group SNA ChatOps Quarantine (' +
        String(hostGroup(smc, GROUP)?.id) +
        ')',
      'Jane Doe · tag host:10.30.1.1 · **done** — tagged in host group SNA ChatOps Quarantine (' +
        String(hostGroup(smc, GROUP)?.id) +
        ')',
    ]);
  });

  it('reports an SMC that refuses our credentials without internals', async () => {
    const { say } = await start();
    smc.failNext(1, 403, { method: 'PUT' });
    const answer = (await say(operator, '/tag 10.30.1.2')).text;
    expect(answer).toMatch(
      /^That didn't work: the SMC refused our credentials \(403\)\. Nothing was changed\. \(ref [0-9a-f]{6}\)$/,
    );
    expect(hostGroup(smc, GROUP)?.ranges ?? []).not.toContain('10.30.1.2');
  });
});

describe('/block and /unblock', () => {
  it('blocks a defanged domain for the TTL given, says "already" to the next responder, and unblocks', async () => {
    const { say } = await start();
    const first = (await say(responder, '/block evil-c2[.]example 2d beaconing from finance')).text;
    // Echoed domains are defanged, so a chat client cannot turn them into a link.
    expect(first).toMatch(/^Blocked domain evil-c2\[\.\]example until .+ UTC on the XDR blocking feed\.$/);
    const [judgement, ...more] = judgementsFor('evil-c2.example');
    expect(more).toEqual([]);
    const valid = judgement?.valid_time;
    expect(Date.parse(valid?.end_time ?? '') - Date.parse(valid?.start_time ?? '')).toBe(2 * 86_400_000);
    expect(judgement?.reason).toContain('beaconing from finance');

    expect((await say(responder2, '/block evil-c2.example')).text).toMatch(
      /^domain evil-c2\[\.\]example is already blocked \(by Riley Responder, until .+\)\. Nothing changed\.$/,
    );
    expect(judgementsFor('evil-c2.example')).toHaveLength(1);
    expect((await say(responder, '/unblock evil-c2.example')).text).toBe(
      'Unblocked domain evil-c2[.]example; the feed drops it now.',
    );
    expect((await say(responder, '/unblock evil-c2.example')).text).toBe(
      'domain evil-c2[.]example is not blocked; nothing changed.',
    );
  });

  it.each([
    ['10.1.2.3', 'private address'],
    ['127.0.0.1', 'loopback'],
  ])('refuses %s with the reason, audited, and calls XDR for nothing', async (target, reason) => {
    const { say, services } = await start();
    expect((await say(responder, `/block ${target}`)).text).toMatch(new RegExp(`^Not blocked: .*${reason}`));
    expect(xdr.calls.filter((c) => c.path.startsWith('/ctia/'))).toEqual([]);
    expect(await services.audit.recent(5)).toMatchObject([
      { action: 'block', target: `ip:${target}`, outcome: 'refused' },
    ]);
  });

  it('reports an XDR failure plainly, audits it, and blocks nothing', async () => {
    const { say, services } = await start();
    xdr.failNext(1, 500, { method: 'POST', pathPrefix: '/ctia/judgement' });
    const answer = (await say(responder, '/block 203.0.113.70')).text;
    expect(answer).toMatch(
      /^That didn't work: Cisco XDR had an internal error \(500\)\. Nothing was changed\. \(ref [0-9a-f]{6}\)$/,
    );
    expect(judgementsFor('203.0.113.70')).toEqual([]);
    expect(await services.audit.recent(5)).toMatchObject([
      { action: 'block', target: 'ip:203.0.113.70', outcome: 'failed' },
    ]);
    expect(await services.blocks?.active({ type: 'ip', value: '203.0.113.70' })).toBeUndefined();
  });
});

describe('two-person rule (BLOCK_APPROVAL=two-person)', () => {
  it('turns /block into a request only a different responder can /approve, in time', async () => {
    const { say, clock } = await start({ BLOCK_APPROVAL: 'two-person', BLOCK_APPROVAL_TTL: '30m' });
    const asked = (await say(responder, '/block 203.0.113.71')).text;
    const id = /`\/approve ([0-9a-f]{6})`/.exec(asked)?.[1] ?? '';
    expect(asked).toMatch(
      /^Block of IP 203\.0\.113\.71 requested\. A different responder approves it with `\/approve [0-9a-f]{6}` before .+\.$/,
    );
    expect(judgementsFor('203.0.113.71')).toEqual([]);

    expect((await say(responder, `/approve ${id}`)).text).toBe(
      'You asked for this block; a different responder must approve it.',
    );
    expect((await say(responder2, `/approve ${id}`)).text).toMatch(/^Blocked IP 203\.0\.113\.71 until /);
    expect(judgementsFor('203.0.113.71')).toHaveLength(1);
    expect((await say(responder2, `/approve ${id}`)).text).toBe('That block request was already approved.');

    const late = /`\/approve ([0-9a-f]{6})`/.exec((await say(responder, '/block 203.0.113.72')).text)?.[1] ?? '';
    clock.advance(31 * 60_000);
    expect((await say(responder2, `/approve ${late}`)).text).toMatch(
      /^That block request expired at .+; nothing was blocked\. Press Block again to ask anew\.$/,
    );
    expect(judgementsFor('203.0.113.72')).toEqual([]);
  });
});
