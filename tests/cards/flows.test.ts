import { describe, expect, it } from 'vitest';
import { alertCard } from '../../cards/alert.js';
import { flowsCard, formatBytes, topTalkersText } from '../../cards/flows.js';
import { utf8ByteLength } from '../../cards/format.js';
import type { AlertCardInput, CardElement, FlowPeerRow, FlowsCardInput } from '../../cards/types.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { validateCard } from '../helpers/adaptive-cards.js';
import { allTexts, expectNoMarkup, huge, loadFixture, withoutOwnBold } from './card-helpers.js';

function row(n: number, overrides: Partial<FlowPeerRow> = {}): FlowPeerRow {
  return {
    peer: `198.51.100.${n}`,
    where: 'United States',
    port: 443,
    protocol: 'tcp',
    sent: 4_200_000 - n * 1000,
    received: 120_000,
    firstSeen: '2026-11-23T13:10:00.000Z',
    lastSeen: '2026-11-23T13:55:00.000Z',
    ...overrides,
  };
}

function input(peers: FlowPeerRow[], overrides: Partial<FlowsCardInput> = {}): FlowsCardInput {
  return {
    ip: '10.20.4.17',
    window: { from: '2026-11-23T13:00:00.000Z', to: '2026-11-23T14:00:00.000Z' },
    peers,
    totals: { flows: 7, peers: peers.length, sent: 8_400_000, received: 240_000 },
    capped: false,
    generatedAt: '2026-11-23T14:00:05.000Z',
    ...overrides,
  };
}

const rows = (body: CardElement[]) =>
  body.filter((e) => e.type === 'Container').map((c) => (c.items as CardElement[]).map((i) => String(i.text)));

describe('flowsCard', () => {
  const two = input([
    row(77, { peer: '203.0.113.45', sent: 4_000_000, received: 200_000 }),
    row(77, { port: 22, where: 'Outside Hosts, United States', sent: 7_000, received: 3_000 }),
  ]);

  it('matches the snapshot', () => {
    expect(flowsCard(two)).toMatchSnapshot();
  });

  it('is a valid Adaptive Card 1.3 for Webex, without buttons', () => {
    const { card } = flowsCard(two);
    expect(validateCard(card)).toEqual([]);
    expect(card.actions).toBeUndefined();
  });

  it('shows one three-line row per peer: peer and service, where and bytes each way, when seen', () => {
    expect(rows(flowsCard(two).card.body)).toEqual([
      ['**203.0.113.45** · 443/tcp', 'United States · ↑ 4 MB · ↓ 200 kB', 'seen 23 Nov 13:10–13:55 UTC'],
      ['**198.51.100.77** · 22/tcp', 'Outside Hosts, United States · ↑ 7 kB · ↓ 3 kB', 'seen 23 Nov 13:10–13:55 UTC'],
    ]);
    expect(flowsCard(two).card.body[1]).toMatchObject({
      text: '23 Nov 13:00–14:00 UTC · 2 peers · 7 flows · ↑ 8.4 MB ↓ 240 kB',
    });
  });

  it('shows at most ten peers, then how many more, and says when the SMC cut the records', () => {
    const many = input(
      Array.from({ length: 14 }, (_, n) => row(n + 1)),
      { capped: true },
    );
    const { card, fallbackText } = flowsCard(many);
    expect(rows(card.body)).toHaveLength(10);
    const texts = allTexts(card);
    expect(texts).toContain('+4 more peers');
    expect(texts.some((t) => t.includes('there may be more'))).toBe(true);
    expect(fallbackText).toContain('+4 more peers');
  });

  it('says so when the host had no flows in the window', () => {
    const { card } = flowsCard(input([], { totals: { flows: 0, peers: 0, sent: 0, received: 0 } }));
    expect(allTexts(card)).toContain('No flows in this window.');
    expect(validateCard(card)).toEqual([]);
  });

  it('escapes what the SMC sent: host-group names, addresses, protocols', () => {
    const hostile = loadFixture<{ host: { hostGroups: string[] } }>('hostile').host.hostGroups;
    const peers = hostile.map((where, n) =>
      row(n, { where, protocol: '<@all>**x**', peer: `[x](http://evil.example/${n})` }),
    );
    const { card, fallbackText } = flowsCard(input(peers, { ip: '**10.0.0.1** <@all>' }));
    // The card's own bold around each peer and the title, taken out: what is left came from outside.
    const ownBold = (text: string) => withoutOwnBold(text).replace(/\*\*(.*?)(?<!\\)\*\*/g, '$1');
    for (const text of allTexts(card)) expectNoMarkup(ownBold(text));
    for (const line of fallbackText.split('\n')) expectNoMarkup(ownBold(line));
    expect(validateCard(card)).toEqual([]);
  });

  it('keeps the fallback within Webex limits for huge upstream text', () => {
    const peers = Array.from({ length: 10 }, (_, n) => row(n, { where: huge('é'), peer: huge('x') }));
    expect(utf8ByteLength(flowsCard(input(peers)).fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
  });
});

describe('byte and talker formatting', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [4_200_000, '4.2 MB'],
    [123_456_789, '123 MB'],
    [9_000_000_000_000_000, '9 PB'],
    [-1, '?'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('lists the three busiest talkers with service and bytes, IPv6 bracketed', () => {
    expect(
      topTalkersText([
        { ip: '203.0.113.45', port: 443, protocol: 'TCP', bytes: 4_200_000 },
        { ip: '2001:db8::5', port: 53, protocol: 'udp', bytes: 900 },
        { ip: '198.51.100.7', bytes: 10 },
        { ip: '198.51.100.8', bytes: 1 },
      ]),
    ).toBe('203.0.113.45:443/tcp 4.2 MB · [2001:db8::5]:53/udp 900 B · 198.51.100.7 10 B');
  });

  it('puts a "Top talkers" fact on the alert card once flow context arrived, and none before', () => {
    const alert = loadFixture<AlertCardInput>('sna-high-total-traffic');
    const before = allTexts(alertCard(alert).card);
    expect(before).not.toContain('Top talkers');
    const { card, fallbackText } = alertCard({
      ...alert,
      topTalkers: [{ ip: '203.0.113.45', port: 443, protocol: 'tcp', bytes: 4_200_000 }],
    });
    const texts = allTexts(card);
    expect(texts[texts.indexOf('Top talkers') + 1]).toBe('203.0.113.45:443/tcp 4.2 MB');
    expect(fallbackText).toContain('Top talkers: 203.0.113.45:443/tcp 4.2 MB');
    expect(validateCard(card)).toEqual([]);
  });
});
