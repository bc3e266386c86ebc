/**
 * The guardrails end to end: no spelling of an inside, special or protected address reaches a
 * blocking feed, and an IPv6 address is one observable whatever its spelling (one judgement, one
 * feed line, and /unblock in any spelling finds it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { type World, createWorld, eventually, startBot } from '../helpers/world.js';

let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(
    world.env({ AUTO_ENRICH: 'false', PROTECTED_RANGES: '198.51.100.0/24', PROTECTED_DOMAINS: 'Corp.Example.' }),
  );
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

async function say(text: string): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: world.responder.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(
    () =>
      world.webex
        .messagesIn(world.alertRoom.id)
        .find((m) => m.personId === world.webex.bot.id && m.parentId === message.id),
    10_000,
    `the answer to ${text}`,
  );
}

/** Every line of every blocking feed (IPv4, IPv6, domain, URL) as firewalls read them. */
async function everyFeedLine(): Promise<string[]> {
  const feeds = (await app.services.blocks?.feeds()) ?? [];
  const lines = await Promise.all(feeds.map(async (f) => (await (await fetch(f.viewUrl)).text()).split('\n')));
  return lines.flat().filter(Boolean);
}

describe('no spelling of an inside, special or protected address reaches a feed', () => {
  it.each([
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '::10.0.0.1',
    '64:ff9b::a00:1',
    '2002:0a00:0001::1',
    '::ffff:127.0.0.1',
    'fe80::1',
    'fd00::1',
    '::1',
    '169.254.169.254',
    '100.64.0.1',
    '::ffff:198.51.100.20',
    '64:ff9b::198.51.100.20',
    'http://[::ffff:10.0.0.1]/admin',
    'http://0x7f.1/',
    'https://vpn.CORP.example./',
    'corp.example.',
  ])('/block %s is refused with the reason', async (spelling) => {
    const answer = await say(`/block ${spelling}`);
    expect(answer.markdown).toMatch(/^Not blocked: /);
  });

  it('left every feed empty', async () => {
    // A real block first, so the feeds exist and are read (not merely absent).
    expect((await say('/block 203.0.113.60')).markdown).toContain('Blocked IP 203.0.113.60');
    await eventually(async () => (await everyFeedLine()).includes('203.0.113.60'), 10_000, 'the real block');
    const lines = await everyFeedLine();
    expect(lines).toEqual(['203.0.113.60']);
    expect(world.xdr.state().judgements).toHaveLength(1);
  });
});

describe('one IPv6 address, whatever its spelling', () => {
  it('is one judgement and one feed line, and /unblock in another spelling lifts it', async () => {
    expect((await say('/block 2001:DB8:0:0::1')).markdown).toContain('Blocked IPv6 2001:db8::1');
    expect((await say('/block 2001:db8:0000::0001')).markdown).toContain('already blocked');
    const ipv6 = () =>
      world.xdr.state().judgements.filter((j) => (j as { observable?: { type?: string } }).observable?.type === 'ipv6');
    expect(ipv6()).toHaveLength(1);
    await eventually(async () => (await everyFeedLine()).includes('2001:db8::1'), 10_000, 'the IPv6 feed line');
    expect((await everyFeedLine()).filter((l) => l.toLowerCase().startsWith('2001:db8'))).toEqual(['2001:db8::1']);
    expect((await say('/unblock 2001:0db8::0:1')).markdown).toContain('Unblocked IPv6 2001:db8::1');
    await eventually(async () => !(await everyFeedLine()).includes('2001:db8::1'), 10_000, 'the line gone');
  });

  it('counts an IPv4 address written as IPv6 as that IPv4 address', async () => {
    expect((await say('/block ::ffff:203.0.113.61')).markdown).toContain('Blocked IP 203.0.113.61');
    expect((await say('/block 203.0.113.61')).markdown).toContain('already blocked');
    expect((await say('/unblock ::FFFF:CB00:713D')).markdown).toContain('Unblocked IP 203.0.113.61');
  });
});
