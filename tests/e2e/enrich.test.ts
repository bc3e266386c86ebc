/**
 * Enrichment end to end: `/enrich` and the Enrich button against the XDR, Umbrella, Secure
 * Endpoint and VirusTotal simulators, with the cache counted in the simulators' call logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, startBot } from '../helpers/world.js';

let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(world.env({ ENRICH_TIMEOUT_SECONDS: '3', AUTO_ENRICH: 'false' }));
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

const botRepliesTo = (messageId: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);

async function ask(text: string, person: SimPerson = world.operator): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(() => botRepliesTo(message.id)[0], 15_000, `the answer to ${text}`);
}

const upstreamCalls = () =>
  world.xdr.calls.filter((c) => c.path.startsWith('/iroh/iroh-enrich')).length +
  world.umbrella.calls.filter((c) => c.path.includes('/domains/')).length +
  world.virusTotal.calls.length +
  world.secureEndpoint.calls.length;

describe('/enrich', () => {
  it('merges sources into one malicious verdict for a known-bad domain, defanged input accepted', async () => {
    world.umbrella.setVerdict('evil-c2.example', { status: -1, securityCategories: ['Command and Control'] });
    world.xdr.setVerdict({ type: 'domain', value: 'evil-c2.example' }, { disposition: 2 });
    world.virusTotal.setVerdict('evil-c2.example', { malicious: 14, harmless: 50 });

    const answer = await ask('/enrich evil-c2[.]example');
    const text = cardText(answer);
    expect(text).toMatch(/Malicious/);
    expect(text).toContain('Umbrella');
    expect(text).toContain('Command and Control');
    expect(text).toContain('14 malicious');
  });

  it('says clean when every source that knows the domain says so', async () => {
    world.umbrella.setVerdict('intranet-partner.example', { status: 1, contentCategories: ['Business Services'] });
    world.xdr.setVerdict({ type: 'domain', value: 'intranet-partner.example' }, { disposition: 1 });
    world.virusTotal.setVerdict('intranet-partner.example', { malicious: 0, harmless: 70 });

    const text = cardText(await ask('/enrich intranet-partner.example'));
    expect(text).toMatch(/Clean/);
    expect(text).not.toMatch(/Malicious/);
  });

  it('still answers, naming the unavailable source, when one source is down', async () => {
    world.umbrella.failNext(5, 503);
    world.xdr.setVerdict({ type: 'domain', value: 'flaky.example' }, { disposition: 3 });
    const text = cardText(await ask('/enrich flaky.example'));
    expect(text).toMatch(/Suspicious/);
    expect(text).toMatch(/Umbrella · unavailable/);
  });

  it('answers a repeat within the cache TTL without any upstream call', async () => {
    world.xdr.setVerdict({ type: 'ip', value: '203.0.113.77' }, { disposition: 2 });
    await ask('/enrich 203.0.113.77');
    const before = upstreamCalls();
    const again = await ask('/enrich 203.0.113.77');
    expect(cardText(again)).toMatch(/Malicious/);
    expect(upstreamCalls()).toBe(before);
  });

  it('shows the quota left per budgeted source on /status', async () => {
    const status = await ask('/status');
    expect(status.markdown).toMatch(/quota left: Cisco XDR \d+\/2000, VirusTotal \d+\/1000/);
  });

  it('explains what it needs when given nothing to look up', async () => {
    expect((await ask('/enrich')).markdown).toContain('needs something to look up');
    expect((await ask('/enrich hello there')).markdown).toContain('found no IP, domain, URL, hash or email');
  });
});

describe('Enrich button', () => {
  it('answers under the alert, and a repeat makes no upstream call', async () => {
    world.xdr.setVerdict({ type: 'ip', value: '203.0.113.88' }, { disposition: 2 });
    world.secureEndpoint.addComputer({ hostname: 'fin-laptop-07', internalIps: ['10.70.0.1'] });
    world.smc.addEvent({ typeId: 16, sourceIp: '10.70.0.1', targetIp: '203.0.113.88' });
    const card = await eventually(
      () => world.cards().find((m) => cardText(m).includes('10.70.0.1')),
      15_000,
      'the alert',
    );
    const enrich = cardActions(card).find((a) => a.data?.action === 'enrich')?.data;
    if (!enrich) throw new Error('no Enrich button');

    await world.webex.submitCard({ personId: world.operator.id, messageId: card.id, inputs: enrich });
    const reply = await eventually(
      () => botRepliesTo(card.id).find((m) => (m.attachments?.length ?? 0) > 0),
      15_000,
      'the verdict',
    );
    expect(cardText(reply)).toContain('203.0.113.88');
    expect(cardText(reply)).toMatch(/Malicious/);

    const before = upstreamCalls();
    await world.webex.submitCard({ personId: world.operator.id, messageId: card.id, inputs: enrich });
    await eventually(
      () => botRepliesTo(card.id).filter((m) => (m.attachments?.length ?? 0) > 0).length === 2,
      15_000,
      'the second verdict',
    );
    expect(upstreamCalls()).toBe(before);
  });
});

describe('garbage input', () => {
  const garbage = [
    '',
    '   ',
    '[](javascript:alert(1))',
    '<script>x</script>',
    '💥'.repeat(200),
    'a'.repeat(3000),
    '--help -v',
    '/* */',
    '\u202Eevil',
  ];
  const commands = [
    'help',
    'status',
    'enrich',
    'block',
    'unblock',
    'approve',
    'tag',
    'untag',
    'audit',
    'history',
    'incidents',
    'incident',
    'ack',
    'assign',
    'resolve',
    'snooze',
    'escalate',
    'nonsense',
  ];

  it('gets a clear answer from every command, never a crash or a stack trace', async () => {
    for (const command of commands) {
      for (const junk of [garbage[2], garbage[6], garbage[4]]) {
        const answer = await ask(`/${command} ${junk}`, world.responder);
        const text = answer.markdown ?? cardText(answer);
        expect(text.length, `/${command} ${junk}`).toBeGreaterThan(0);
        expect(text).not.toMatch(/\bat \w+ \(|TypeError|ReferenceError|stack/);
      }
    }
    const status = await ask('/status');
    expect(status.markdown).toContain('SNA ChatOps status');
  }, 120_000);
});
