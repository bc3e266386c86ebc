import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertCard } from '../../cards/alert.js';
import { escapeMarkdown, formatUtc, truncateUtf8, userText, utf8ByteLength } from '../../cards/format.js';
import type { AdaptiveCard, AlertCardInput, CardAction } from '../../cards/types.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { validateCard } from '../helpers/adaptive-cards.js';

function fixture(name: 'sna-high-total-traffic' | 'hostile'): AlertCardInput {
  const path = new URL(`../fixtures/cards/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(path, 'utf8')) as AlertCardInput;
}

/** The SNA "High Total Traffic" incident from the contract's example values, still open. */
const openIncident = (): AlertCardInput => fixture('sna-high-total-traffic');

/** The same incident after Jane Doe pressed Acknowledge. */
const ackedIncident = (): AlertCardInput => ({
  ...openIncident(),
  state: 'acked',
  ackedBy: { name: 'Jane Doe', email: 'jane.doe@example.com' },
  ackedAt: '2021-02-04T14:07:00Z',
});

/** Every text a reader sees on the card, in order: TextBlock texts, then fact titles and values. */
function visibleTexts(card: AdaptiveCard): string[] {
  return card.body.flatMap((element) => {
    if (typeof element.text === 'string') return [element.text];
    const facts = element.facts as { title: string; value: string }[] | undefined;
    return (facts ?? []).flatMap((fact) => [fact.title, fact.value]);
  });
}

function factValue(card: AdaptiveCard, title: string): string | undefined {
  const factSet = card.body.find((element) => element.type === 'FactSet');
  const facts = (factSet?.facts ?? []) as { title: string; value: string }[];
  return facts.find((fact) => fact.title === title)?.value;
}

function actionsOf(card: AdaptiveCard, type: CardAction['type']): CardAction[] {
  return (card.actions ?? []).filter((action) => action.type === type);
}

/** Markdown that would turn into a link, emphasis, code, HTML or a mention if not escaped. */
const UNESCAPED_MARKUP = [/(?<!\\)\]\(/, /(?<!\\)\*/, /(?<!\\)_/, /(?<!\\)`/, /(?<!\\)</, /(?<!\\)\{\{/, /https?:\/\//];

function expectNoMarkup(text: string): void {
  for (const pattern of UNESCAPED_MARKUP) expect(text, `matches ${pattern}`).not.toMatch(pattern);
}

/** The fallback's text from outside systems: its lines minus the bot's own bold markers and SMC link. */
function fallbackUserText(fallbackText: string): string[] {
  return fallbackText
    .split('\n')
    .filter((line) => !line.startsWith('[Open in SMC]('))
    .map((line) => line.replace(/^\*\*(.*)\*\* on \*\*(.*)\*\*$/, '$1 on $2'));
}

describe('alertCard', () => {
  describe('for an open SNA High Total Traffic incident', () => {
    const { card, fallbackText } = alertCard(openIncident());

    it('matches the snapshot', () => {
      expect(alertCard(openIncident())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex', () => {
      expect(card.version).toBe('1.3');
      expect(validateCard(card)).toEqual([]);
    });

    it('leads with a colored header naming the severity and the event', () => {
      expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'HIGH · High Total Traffic', color: 'Attention' });
    });

    it('shows the inside host IP large, with its host groups under it', () => {
      expect(card.body[1]).toMatchObject({ text: '192.168.91.6', size: 'Large', weight: 'Bolder' });
      expect(card.body[2]).toMatchObject({ text: 'Catch All, Servers, DMZ', isSubtle: true });
    });

    it('shows the peer as ip:port/protocol with its host groups and the number of further peers', () => {
      expect(factValue(card, 'Peer')).toBe('52.109.8.21:137/udp · +2 more peers');
      expect(factValue(card, 'Peer groups')).toBe('United States');
    });

    it('shows points, first and last activity in UTC, and event and hit counts', () => {
      expect(factValue(card, 'Points')).toBe('162');
      expect(factValue(card, 'First active')).toBe('4 Feb 2021 13:20 UTC');
      expect(factValue(card, 'Last active')).toBe('4 Feb 2021 14:05 UTC');
      expect(factValue(card, 'Activity')).toBe('3 events · 17 hits');
    });

    it('says the incident is open', () => {
      expect(visibleTexts(card).at(-1)).toBe('Open');
    });

    it('offers an Acknowledge button carrying the versioned ack data', () => {
      expect(actionsOf(card, 'Action.Submit')).toEqual([
        {
          type: 'Action.Submit',
          title: 'Acknowledge',
          data: { action: 'ack', v: 1, incidentId: 'inc-16-192.168.91.6-20210204T132038Z' },
        },
      ]);
    });

    it('links to the host in SMC', () => {
      expect(actionsOf(card, 'Action.OpenUrl')).toEqual([
        {
          type: 'Action.OpenUrl',
          title: 'Open in SMC',
          url: 'https://smc.example.internal/lc-landing-page/smc.html#/host/192.168.91.6',
        },
      ]);
    });

    it('repeats the essentials in the Markdown fallback', () => {
      expect(fallbackText).toContain('**HIGH · High Total Traffic** on **192.168.91.6**');
      expect(fallbackText).toContain('Host groups: Catch All, Servers, DMZ');
      expect(fallbackText).toContain('Peer: 52.109.8.21:137/udp (United States) · +2 more peers');
      expect(fallbackText).toContain('Points: 162 · 3 events · 17 hits');
      expect(fallbackText).toContain('First active 4 Feb 2021 13:20 UTC · last 4 Feb 2021 14:05 UTC');
      expect(fallbackText).toContain('State: Open');
      expect(fallbackText).toContain('[Open in SMC](https://smc.example.internal/');
    });
  });

  describe('for an acknowledged incident', () => {
    const { card, fallbackText } = alertCard(ackedIncident());

    it('matches the snapshot', () => {
      expect(alertCard(ackedIncident())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex', () => {
      expect(validateCard(card)).toEqual([]);
    });

    it('says who acknowledged it and when, in green', () => {
      expect(card.body.at(-1)).toMatchObject({ text: 'Acknowledged by Jane Doe · 4 Feb 14:07 UTC', color: 'Good' });
      expect(fallbackText).toContain('State: Acknowledged by Jane Doe · 4 Feb 14:07 UTC');
    });

    it('no longer offers Acknowledge but still links to SMC', () => {
      expect(actionsOf(card, 'Action.Submit')).toEqual([]);
      expect(actionsOf(card, 'Action.OpenUrl')).toHaveLength(1);
    });

    it('says "Acknowledged" alone when the person and time are unknown', () => {
      const { card: anonymous } = alertCard({ ...ackedIncident(), ackedBy: undefined, ackedAt: undefined });
      expect(visibleTexts(anonymous).at(-1)).toBe('Acknowledged');
    });
  });

  describe('variations', () => {
    it('colors medium incidents as a warning and low ones as an accent', () => {
      expect(alertCard({ ...openIncident(), severity: 'medium' }).card.body[0]).toMatchObject({
        text: 'MEDIUM · High Total Traffic',
        color: 'Warning',
      });
      expect(alertCard({ ...openIncident(), severity: 'low' }).card.body[0]).toMatchObject({ color: 'Accent' });
    });

    it('names the event by its type id when SNA gave no name', () => {
      expect(alertCard({ ...openIncident(), eventName: '  ' }).card.body[0]).toMatchObject({ text: 'HIGH · Event 16' });
    });

    it('uses singular nouns for one event and one hit', () => {
      const { card } = alertCard({ ...openIncident(), eventCount: 1, hitCount: 1 });
      expect(factValue(card, 'Activity')).toBe('1 event · 1 hit');
    });

    it('leaves out the peer, host groups and points when SNA reported none', () => {
      const input: AlertCardInput = {
        ...openIncident(),
        host: { ip: '192.168.91.6', hostGroups: [] },
        peer: undefined,
        otherPeers: 0,
        points: undefined,
      };
      const { card, fallbackText } = alertCard(input);
      expect(visibleTexts(card)).not.toContain('Peer');
      expect(visibleTexts(card)).not.toContain('Points');
      // Header, host IP, facts, incident id, state.
      expect(card.body).toHaveLength(5);
      expect(fallbackText).not.toMatch(/Peer|Host groups|Points/);
      expect(validateCard(card)).toEqual([]);
    });

    it('counts peers when only further peers are known', () => {
      const { card } = alertCard({ ...openIncident(), peer: undefined, otherPeers: 3 });
      expect(factValue(card, 'Peers')).toBe('3 peers');
    });

    it('brackets IPv6 peers and leaves out SNA port 0', () => {
      const ipv6 = alertCard({
        ...openIncident(),
        peer: { ip: '2001:db8::7', hostGroups: [], port: 443, protocol: 'tcp' },
      });
      expect(factValue(ipv6.card, 'Peer')).toBe('\\[2001:db8::7\\]:443/tcp · +2 more peers');
      const noPort = alertCard({
        ...openIncident(),
        peer: { ip: '52.109.8.21', hostGroups: [], port: 0, protocol: 'udp' },
      });
      expect(factValue(noPort.card, 'Peer')).toBe('52.109.8.21/udp · +2 more peers');
    });

    it('has no actions at all when acked without an SMC link', () => {
      const { card } = alertCard({ ...ackedIncident(), smcUrl: undefined });
      expect(card.actions).toBeUndefined();
      expect(validateCard(card)).toEqual([]);
    });

    it('offers no Acknowledge button when the verb is not enabled', () => {
      const { card } = alertCard({ ...openIncident(), actions: [] });
      expect(actionsOf(card, 'Action.Submit')).toEqual([]);
    });

    it('shows one button per verb however often a verb is listed, and never more than five', () => {
      const { card } = alertCard({ ...openIncident(), actions: ['ack', 'ack', 'ack', 'ack', 'ack', 'ack'] });
      expect(actionsOf(card, 'Action.Submit')).toHaveLength(1);
      expect(card.actions?.length).toBeLessThanOrEqual(5);
    });

    it('returns fresh objects, so changing one card cannot leak into the next', () => {
      const first = alertCard(openIncident());
      first.card.body.push({ type: 'TextBlock', text: 'tampered' });
      (first.card.actions?.[0]?.data as Record<string, unknown>).incidentId = 'other';
      const second = alertCard(openIncident());
      expect(second).toEqual(alertCard(openIncident()));
      expect(visibleTexts(second.card)).not.toContain('tampered');
      expect(actionsOf(second.card, 'Action.Submit')[0]?.data).toMatchObject({ incidentId: openIncident().incidentId });
    });
  });

  describe('with hostile text from outside systems', () => {
    const hostile = fixture('hostile');
    const hostileGroups = hostile.host.hostGroups;
    const withGroup = (name: string) => alertCard({ ...openIncident(), host: { ip: '10.0.0.66', hostGroups: [name] } });

    it.each(hostileGroups)('escapes host group %j on the card and in the fallback', (name) => {
      const { card, fallbackText } = withGroup(name);
      const groupLine = card.body[2]?.text;
      expect(typeof groupLine).toBe('string');
      expectNoMarkup(String(groupLine));
      expect(fallbackText).toContain(`Host groups: ${groupLine}`);
      for (const line of fallbackUserText(fallbackText)) expectNoMarkup(line);
      expect(validateCard(card)).toEqual([]);
    });

    it('shows a Markdown link as literal, defanged text', () => {
      expect(withGroup('[click me](http://evil.example)').card.body[2]?.text).toBe(
        '\\[click me\\]\\(hxxp[:]//evil.example)',
      );
    });

    it('shows bold, HTML and mention syntax literally', () => {
      expect(withGroup('**bold**').card.body[2]?.text).toBe('\\*\\*bold\\*\\*');
      expect(withGroup('<at>Jane</at> <@all>').card.body[2]?.text).toBe('\\<at\\>Jane\\</at\\> \\<@all\\>');
    });

    it('keeps emoji and right-to-left scripts but drops invisible direction overrides', () => {
      expect(withGroup('🚨 Финансы \u200fשרתים\u200f خوادم 👩‍💻').card.body[2]?.text).toBe('🚨 Финансы שרתים خوادم 👩‍💻');
      expect(withGroup('\u202eevil.example\u202c').card.body[2]?.text).toBe('evil.example');
    });

    it('flattens multi-line names so they cannot start lists or headings', () => {
      expect(withGroup('- list item\n# heading\n1. numbered').card.body[2]?.text).toBe(
        '\\- list item # heading 1. numbered',
      );
    });

    it('leaves ordinary punctuation in names readable', () => {
      expect(withGroup('Servers (DMZ) & R&D #3').card.body[2]?.text).toBe('Servers (DMZ) & R&D #3');
    });

    it('truncates a 10,000-character host group name', () => {
      const { card, fallbackText } = withGroup('A'.repeat(10_000));
      const groupLine = String(card.body[2]?.text);
      expect([...groupLine].length).toBeLessThanOrEqual(40);
      expect(groupLine.endsWith('…')).toBe(true);
      expect(utf8ByteLength(fallbackText)).toBeLessThan(1_000);
      expect(validateCard(card)).toEqual([]);
    });

    it('lists three of 500 host groups and counts the rest', () => {
      const groups = Array.from({ length: 500 }, (_, index) => `Group ${index}`);
      const { card } = alertCard({ ...openIncident(), host: { ip: '10.0.0.66', hostGroups: groups } });
      expect(card.body[2]?.text).toBe('Group 0, Group 1, Group 2 +497 more');
      expect(validateCard(card)).toEqual([]);
    });

    it('escapes the event name and the acknowledging person', () => {
      const { card, fallbackText } = alertCard(hostile);
      expectNoMarkup(String(card.body[0]?.text));
      expectNoMarkup(String(card.body.at(-1)?.text));
      expect(card.body.at(-1)?.text).toContain('Acknowledged by \\[Jane\\]\\(hxxp[:]//evil.example) \\*\\*Doe\\*\\*');
      for (const line of fallbackUserText(fallbackText)) expectNoMarkup(line);
      expect(validateCard(card)).toEqual([]);
    });

    it('drops an SMC link that is not http(s)', () => {
      const { card, fallbackText } = alertCard({ ...hostile, state: 'open' });
      expect(actionsOf(card, 'Action.OpenUrl')).toEqual([]);
      expect(fallbackText).not.toContain('javascript');
    });

    it('stays valid, under 20 KB and within the fallback byte limit for the worst input', () => {
      const huge = (unit: string) => unit.repeat(10_000);
      const worst: AlertCardInput = {
        ...hostile,
        eventName: huge('*'),
        host: { ip: huge('9'), hostGroups: Array.from({ length: 500 }, () => huge('👩‍💻')) },
        peer: {
          ip: huge(':'),
          hostGroups: Array.from({ length: 500 }, () => huge('[x](http://e) ')),
          port: 65_535,
          protocol: huge('<'),
        },
        otherPeers: 1e12,
        ackedBy: { name: huge('Z̷̢̛') },
        smcUrl: `https://smc.example.internal/${huge('a')}`,
      };
      const { card, fallbackText } = alertCard(worst);
      expect(validateCard(card)).toEqual([]);
      expect(utf8ByteLength(fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      expect(card.actions?.length ?? 0).toBeLessThanOrEqual(5);
    });
  });
});

describe('text helpers behind the alert card', () => {
  it('formats times as UTC, including SNA offsets without a colon', () => {
    expect(formatUtc('2026-11-23T14:05:00Z')).toBe('23 Nov 2026 14:05 UTC');
    expect(formatUtc('2026-11-23T15:05:59.000+0100')).toBe('23 Nov 2026 14:05 UTC');
    expect(formatUtc('2026-11-23T14:07:00Z', 'short')).toBe('23 Nov 14:07 UTC');
    expect(formatUtc('yesterday-ish')).toBe('unknown time');
  });

  it('cuts Markdown to a UTF-8 byte budget without splitting emoji or leaving a dangling escape', () => {
    expect(truncateUtf8('👩‍💻👩‍💻', 12)).toBe('…');
    expect(truncateUtf8('abc\\*def', 7)).toBe('abc…');
    expect(utf8ByteLength(truncateUtf8('é'.repeat(5_000), MAX_MARKDOWN_BYTES))).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
  });

  it('escapes every Markdown delimiter it claims to', () => {
    expect(escapeMarkdown('\\ ` * _ ~ [ ] < > { }')).toBe('\\\\ \\` \\* \\_ \\~ \\[ \\] \\< \\> \\{ \\}');
    expect(userText('see https://evil.example', 80)).toBe('see hxxps[:]//evil.example');
  });
});
