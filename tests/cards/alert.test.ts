import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertCard } from '../../cards/alert.js';
import fc from 'fast-check';
import {
  defangObservable,
  escapeMarkdown,
  formatUtc,
  formatUtcAfter,
  formatUtcRange,
  truncateUtf8,
  userText,
  utf8ByteLength,
} from '../../cards/format.js';
import type { AdaptiveCard, AlertActionVerb, AlertCardInput, CardAction } from '../../cards/types.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { validateCard } from '../helpers/adaptive-cards.js';
import { expectNoMarkup } from './card-helpers.js';
import { worstAlertInput } from '../fixtures/cards/worst-inputs.js';

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
      const worst = worstAlertInput(hostile);
      const { card, fallbackText } = alertCard(worst);
      expect(validateCard(card)).toEqual([]);
      expect(utf8ByteLength(fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      expect(card.actions?.length ?? 0).toBeLessThanOrEqual(5);
    });
  });
});

const jane = { name: 'Jane Doe', email: 'jane.doe@example.com' };
const bob = { name: 'Bob' };

/** The open incident after the whole team worked on it: every response and workflow field set. */
const workedIncident = (): AlertCardInput => ({
  ...openIncident(),
  state: 'resolved',
  resolved: { by: jane, at: '2021-02-04T15:02:00Z', note: 'Backup job to a new cloud target; allow-listed' },
  assignee: bob,
  snoozedUntil: '2021-02-04T18:00:00Z',
  block: {
    state: 'blocked',
    observable: '52.109.8.21',
    by: jane,
    at: '2021-02-04T14:07:00Z',
    until: '2021-02-11T14:07:00Z',
    approvedBy: bob,
  },
  tag: { state: 'tagged', hostGroup: 'SNA ChatOps Quarantine', by: bob, at: '2021-02-04T14:10:00Z' },
  escalation: { id: 'incident-0f1e2d3c', url: 'https://visibility.amp.cisco.com/incidents/incident-0f1e2d3c' },
  peerVerdict: { disposition: 'malicious', summary: 'XDR and Umbrella flag it; 2 of 4 sources answered' },
  actions: ['unblock', 'untag', 'enrich'],
});

/** The status section: everything after the subtle incident id line. */
function statusTexts(card: AdaptiveCard): string[] {
  const idIndex = card.body.findIndex((element) => String(element.text).startsWith('ID '));
  return card.body.slice(idIndex + 1).map((element) => String(element.text));
}

function statusBlock(card: AdaptiveCard, prefix: string) {
  return card.body.find((element) => typeof element.text === 'string' && element.text.startsWith(prefix));
}

const ALL_VERBS: AlertActionVerb[] = ['ack', 'block', 'unblock', 'approve-block', 'tag', 'untag', 'enrich', 'escalate'];

describe('alertCard response and workflow states', () => {
  it('says when a block request expired without a second responder', () => {
    const { card, fallbackText } = alertCard({
      ...openIncident(),
      block: {
        state: 'expired',
        observable: '52.109.8.21',
        requestedBy: { name: 'Riley Responder' },
        expiredAt: '2021-02-04T14:37:00Z',
      },
    });
    expect(visibleTexts(card)).toContain(
      'Block request for 52.109.8.21 by Riley Responder expired at 4 Feb 14:37 UTC unapproved',
    );
    expect(fallbackText).toContain('expired at 4 Feb 14:37 UTC');
    expect(validateCard(card)).toEqual([]);
  });

  describe('for an incident with every state set', () => {
    const { card, fallbackText } = alertCard(workedIncident());

    it('matches the snapshot', () => {
      expect(alertCard(workedIncident())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex', () => {
      expect(validateCard(card)).toEqual([]);
    });

    it('reads top to bottom as state, assignee, snooze, block, tag, escalation', () => {
      expect(statusTexts(card)).toEqual([
        '✅ Resolved by Jane Doe · 4 Feb 15:02 UTC — Backup job to a new cloud target; allow-listed',
        '👤 Assigned to Bob',
        '💤 Snoozed until 4 Feb 18:00 UTC',
        '⛔ Blocked 52.109.8.21 by Jane Doe · 4 Feb 14:07 UTC · until 11 Feb 14:07 UTC · approved by Bob',
        '🏷 Tagged in SNA ChatOps Quarantine by Bob · 4 Feb 14:10 UTC',
        '⬆ Escalated to XDR incident [incident-0f1e2d3c](https://visibility.amp.cisco.com/incidents/incident-0f1e2d3c)',
      ]);
    });

    it('puts a separator above the state, in bold green for resolved', () => {
      expect(statusBlock(card, '✅ Resolved')).toMatchObject({ weight: 'Bolder', color: 'Good', separator: true });
      expect(statusBlock(card, '⛔ Blocked')).toMatchObject({ color: 'Attention', wrap: true });
    });

    it('shows the peer verdict under the facts, coloured by disposition', () => {
      expect(statusBlock(card, '🔴 Peer verdict')).toMatchObject({
        text: '🔴 Peer verdict: Malicious — XDR and Umbrella flag it; 2 of 4 sources answered',
        color: 'Attention',
      });
    });

    it('repeats every line in the fallback', () => {
      for (const line of statusTexts(card).slice(1)) expect(fallbackText).toContain(`\n${line}\n`);
      expect(fallbackText).toContain('State: ✅ Resolved by Jane Doe · 4 Feb 15:02 UTC — Backup job');
      expect(fallbackText).toContain('🔴 Peer verdict: Malicious');
      expect(utf8ByteLength(fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    });
  });

  it('shows the incident id small and subtle, and in the fallback, for /ack <id>', () => {
    const { card, fallbackText } = alertCard(openIncident());
    expect(statusBlock(card, 'ID ')).toEqual({
      type: 'TextBlock',
      text: 'ID inc-16-192.168.91.6-20210204T132038Z',
      size: 'Small',
      isSubtle: true,
      wrap: true,
    });
    expect(fallbackText).toContain('\nID: inc-16-192.168.91.6-20210204T132038Z\n');
  });

  describe('block', () => {
    const pending = (expiresAt: string): AlertCardInput => ({
      ...openIncident(),
      block: {
        state: 'pending',
        observable: '52.109.8.21',
        requestedBy: jane,
        requestedAt: '2021-02-04T14:07:00Z',
        expiresAt,
      },
      actions: ['approve-block', 'ack'],
    });

    it('asks for a second responder while a block waits for approval, in amber', () => {
      const { card, fallbackText } = alertCard(pending('2021-02-04T14:37:00Z'));
      const line = '⏳ Block of 52.109.8.21 requested by Jane Doe · needs a second responder by 14:37 UTC';
      expect(statusBlock(card, '⏳')).toMatchObject({ text: line, color: 'Warning' });
      expect(fallbackText).toContain(line);
      expect(validateCard(card)).toEqual([]);
    });

    it('names the day of the deadline when it falls on another UTC day', () => {
      const { card } = alertCard(pending('2021-02-05T00:10:00Z'));
      expect(statusBlock(card, '⏳')?.text).toMatch(/by 5 Feb 00:10 UTC$/);
    });

    it('says when a block is in force and until when, without an approver for single-person blocks', () => {
      const { card } = alertCard({
        ...openIncident(),
        block: {
          state: 'blocked',
          observable: '52.109.8.21',
          by: jane,
          at: '2021-02-04T14:07:00Z',
          until: '2021-02-04T22:07:00Z',
        },
      });
      expect(statusBlock(card, '⛔')?.text).toBe(
        '⛔ Blocked 52.109.8.21 by Jane Doe · 4 Feb 14:07 UTC · until 4 Feb 22:07 UTC',
      );
    });

    it('shows a lifted block as a subtle line', () => {
      const { card } = alertCard({
        ...openIncident(),
        block: { state: 'unblocked', observable: '52.109.8.21', by: bob, at: '2021-02-05T09:00:00Z' },
      });
      expect(statusBlock(card, 'Unblocked')).toMatchObject({
        text: 'Unblocked 52.109.8.21 by Bob · 5 Feb 09:00 UTC',
        isSubtle: true,
      });
    });
  });

  describe('tag', () => {
    it('says which host group the host was tagged into, and when it was removed', () => {
      const tagged = alertCard({
        ...openIncident(),
        tag: { state: 'tagged', hostGroup: 'SNA ChatOps Quarantine', by: bob, at: '2021-02-04T14:10:00Z' },
      });
      expect(statusBlock(tagged.card, '🏷')?.text).toBe('🏷 Tagged in SNA ChatOps Quarantine by Bob · 4 Feb 14:10 UTC');
      const untagged = alertCard({
        ...openIncident(),
        tag: { state: 'untagged', hostGroup: 'SNA ChatOps Quarantine', by: bob, at: '2021-02-04T16:00:00Z' },
      });
      expect(statusBlock(untagged.card, 'Removed')).toMatchObject({
        text: 'Removed from SNA ChatOps Quarantine by Bob · 4 Feb 16:00 UTC',
        isSubtle: true,
      });
      expect(validateCard(untagged.card)).toEqual([]);
    });
  });

  describe('workflow', () => {
    it('says "Resolved" alone when who, when and why are unknown', () => {
      const { card } = alertCard({ ...openIncident(), state: 'resolved' });
      expect(statusTexts(card)).toEqual(['✅ Resolved']);
    });

    it('offers no Acknowledge button once resolved', () => {
      const { card } = alertCard({ ...openIncident(), state: 'resolved', actions: ['ack', 'enrich'] });
      expect(actionsOf(card, 'Action.Submit').map((action) => action.title)).toEqual(['Enrich']);
    });

    it('shows the assignee and the snooze while the incident is still open', () => {
      const { card } = alertCard({ ...openIncident(), assignee: jane, snoozedUntil: '2021-02-05T08:00:00Z' });
      expect(statusTexts(card)).toEqual(['Open', '👤 Assigned to Jane Doe', '💤 Snoozed until 5 Feb 08:00 UTC']);
    });

    it('links the XDR incident only when its URL is http(s)', () => {
      const unsafe = alertCard({ ...openIncident(), escalation: { id: 'incident-1', url: 'javascript:alert(1)' } });
      expect(statusBlock(unsafe.card, '⬆')?.text).toBe('⬆ Escalated to XDR incident incident-1');
      expect(unsafe.fallbackText).not.toContain('javascript');
      const noUrl = alertCard({ ...openIncident(), escalation: { id: 'incident-1' } });
      expect(statusBlock(noUrl.card, '⬆')?.text).toBe('⬆ Escalated to XDR incident incident-1');
    });

    it.each([
      ['malicious', '🔴 Peer verdict: Malicious', 'Attention'],
      ['suspicious', '🟠 Peer verdict: Suspicious', 'Warning'],
      ['clean', '🟢 Peer verdict: Clean', 'Good'],
    ] as const)('colours a %s peer verdict', (disposition, text, color) => {
      const { card } = alertCard({ ...openIncident(), peerVerdict: { disposition, summary: '' } });
      expect(statusBlock(card, text.slice(0, 2))).toMatchObject({ text, color });
    });

    it('leaves an unknown peer verdict in the default colour', () => {
      const { card } = alertCard({
        ...openIncident(),
        peerVerdict: { disposition: 'unknown', summary: 'no source knows it' },
      });
      const block = statusBlock(card, '⚪');
      expect(block?.text).toBe('⚪ Peer verdict: Unknown — no source knows it');
      expect(block).not.toHaveProperty('color');
    });

    it('renders no status lines for fields that are not set', () => {
      expect(statusTexts(alertCard(openIncident()).card)).toEqual(['Open']);
    });

    it('says which digest listed the incident first and what earned it its own card', () => {
      const { card, fallbackText } = alertCard({
        ...openIncident(),
        fromDigest: { listedAt: '2021-02-04T14:05:00Z', why: ['2 new events', 'severity now HIGH (was MEDIUM)'] },
      });
      const line =
        '📋 Listed in the digest of 4 Feb 14:05 UTC · own card for 2 new events, severity now HIGH (was MEDIUM)';
      expect(statusTexts(card)).toEqual(['Open', line]);
      expect(statusBlock(card, '📋')).toMatchObject({ isSubtle: true });
      expect(fallbackText).toContain(line);
      expect(validateCard(card)).toEqual([]);
    });

    it('escapes the reasons a digested incident got its card (they can name a person)', () => {
      const { card } = alertCard({
        ...openIncident(),
        fromDigest: { listedAt: '2021-02-04T14:05:00Z', why: ['asked for by **Eve** <@all>'] },
      });
      expect(statusBlock(card, '📋')?.text).toBe(
        '📋 Listed in the digest of 4 Feb 14:05 UTC · own card for asked for by \\*\\*Eve\\*\\* \\<@all\\>',
      );
    });
  });

  describe('with hostile names', () => {
    const evil = fixture('hostile').ackedBy ?? { name: '' };
    const evilText = '[Jane](http://evil.example) **Doe** <@all>';

    it('uses a hostile fixture name', () => {
      expect(evil.name).toBe(evilText);
    });

    const cases: [string, Partial<AlertCardInput>][] = [
      ['resolved', { state: 'resolved', resolved: { by: evil, at: '2021-02-04T15:00:00Z', note: evilText } }],
      ['assignee', { assignee: evil }],
      [
        'pending block',
        {
          block: {
            state: 'pending',
            observable: evilText,
            requestedBy: evil,
            requestedAt: '2021-02-04T14:07:00Z',
            expiresAt: '2021-02-04T14:37:00Z',
          },
        },
      ],
      [
        'block',
        {
          block: {
            state: 'blocked',
            observable: evilText,
            by: evil,
            at: '2021-02-04T14:07:00Z',
            until: '2021-02-11T14:07:00Z',
            approvedBy: evil,
          },
        },
      ],
      ['unblock', { block: { state: 'unblocked', observable: evilText, by: evil, at: '2021-02-04T14:07:00Z' } }],
      ['tag', { tag: { state: 'tagged', hostGroup: evilText, by: evil, at: '2021-02-04T14:10:00Z' } }],
      ['untag', { tag: { state: 'untagged', hostGroup: evilText, by: evil, at: '2021-02-04T14:10:00Z' } }],
      ['escalation without a link', { escalation: { id: evilText } }],
      ['peer verdict', { peerVerdict: { disposition: 'suspicious', summary: evilText } }],
    ];

    it.each(cases)('escapes the %s line on the card and in the fallback', (_name, fields) => {
      const { card, fallbackText } = alertCard({ ...openIncident(), ...fields });
      const lines = card.body.slice(3).flatMap((element) => (typeof element.text === 'string' ? [element.text] : []));
      expect(lines.join('\n')).toContain('\\[Jane\\]\\(hxxp[:]//evil.example) \\*\\*Doe\\*\\* \\<@all\\>');
      for (const line of lines) expectNoMarkup(line);
      for (const line of fallbackUserText(fallbackText)) expectNoMarkup(line);
      expect(validateCard(card)).toEqual([]);
    });

    it('escapes the text of a linked XDR incident and keeps its URL intact', () => {
      const { card } = alertCard({
        ...openIncident(),
        escalation: { id: '](javascript:x) **id**', url: 'https://xdr.example/incidents/1?a=(b)' },
      });
      expect(statusBlock(card, '⬆')?.text).toBe(
        '⬆ Escalated to XDR incident [\\]\\(javascript:x) \\*\\*id\\*\\*](https://xdr.example/incidents/1?a=%28b%29)',
      );
    });

    it('stays valid and within the byte limits with every field huge and hostile', () => {
      const big = (unit: string) => unit.repeat(10_000);
      const person = { name: big('[x](http://e) ') };
      const { card, fallbackText } = alertCard({
        ...fixture('hostile'),
        eventName: big('*'),
        host: { ip: big('9'), hostGroups: Array.from({ length: 500 }, () => big('👩‍💻')) },
        state: 'resolved',
        resolved: { by: person, at: big('x'), note: big('Z̷̢̛') },
        assignee: person,
        snoozedUntil: big('<'),
        block: { state: 'blocked', observable: big('\\'), by: person, at: '', until: '', approvedBy: person },
        tag: { state: 'tagged', hostGroup: big('_'), by: person, at: '' },
        escalation: { id: big('`'), url: `https://xdr.example/${big('a')}` },
        peerVerdict: { disposition: 'malicious', summary: big('&lt;') },
        // The bot makes incident ids (and every button carries one), so only the shown copy is capped.
        incidentId: `inc-${'i'.repeat(300)}`,
        actions: ALL_VERBS,
      });
      expect(validateCard(card)).toEqual([]);
      expect(utf8ByteLength(fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      // A cut URL would lead somewhere else, so a 10 KB escalation URL is shown unlinked.
      expect(statusBlock(card, '⬆')?.text).not.toContain('](');
      expect([...String(statusBlock(card, 'ID ')?.text)].length).toBeLessThanOrEqual(103);
    });
  });
});

describe('alertCard buttons', () => {
  const titles = (input: AlertCardInput) => (alertCard(input).card.actions ?? []).map((action) => action.title);

  it.each([
    ['ack', 'Acknowledge'],
    ['block', 'Block peer'],
    ['unblock', 'Unblock'],
    ['approve-block', 'Approve block'],
    ['tag', 'Tag host'],
    ['untag', 'Untag'],
    ['enrich', 'Enrich'],
    ['escalate', 'Escalate'],
  ] as const)('renders %s as "%s" carrying { action, v: 1, incidentId }', (verb, title) => {
    const { card } = alertCard({ ...openIncident(), actions: [verb] });
    expect(actionsOf(card, 'Action.Submit')).toEqual([
      {
        type: 'Action.Submit',
        title,
        data: { action: verb, v: 1, incidentId: 'inc-16-192.168.91.6-20210204T132038Z' },
      },
    ]);
    expect(validateCard(card)).toEqual([]);
  });

  it('keeps the five most important buttons when every verb is requested', () => {
    const { card } = alertCard({ ...openIncident(), actions: [...ALL_VERBS].reverse() });
    expect(card.actions).toHaveLength(5);
    expect(card.actions?.map((action) => action.title)).toEqual([
      'Approve block',
      'Block peer',
      'Unblock',
      'Tag host',
      'Untag',
    ]);
    for (const action of card.actions ?? []) {
      expect(action.data).toEqual({ action: expect.any(String), v: 1, incidentId: openIncident().incidentId });
    }
    expect(validateCard(card)).toEqual([]);
  });

  it('orders buttons by priority whatever order the bot lists them in, then links to SMC', () => {
    expect(titles({ ...openIncident(), actions: ['escalate', 'enrich', 'ack', 'tag'] })).toEqual([
      'Tag host',
      'Acknowledge',
      'Enrich',
      'Escalate',
      'Open in SMC',
    ]);
  });

  it('drops "Open in SMC" first when five verbs already fill the card', () => {
    expect(titles({ ...openIncident(), actions: ['escalate', 'enrich', 'ack', 'tag', 'block'] })).toEqual([
      'Block peer',
      'Tag host',
      'Acknowledge',
      'Enrich',
      'Escalate',
    ]);
  });

  it('never exceeds five buttons and always keeps priority order, for any verbs and state', () => {
    const priority = [
      'Approve block',
      'Block peer',
      'Unblock',
      'Tag host',
      'Untag',
      'Acknowledge',
      'Enrich',
      'Escalate',
      'Open in SMC',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALL_VERBS), { maxLength: 20 }),
        fc.constantFrom('open', 'acked', 'resolved' as const),
        fc.boolean(),
        (actions, state, withSmc) => {
          const input: AlertCardInput = {
            ...openIncident(),
            actions,
            state,
            smcUrl: withSmc ? openIncident().smcUrl : undefined,
          };
          const { card } = alertCard(input);
          const shown = (card.actions ?? []).map((action) => action.title);
          expect(shown.length).toBeLessThanOrEqual(5);
          expect(new Set(shown).size).toBe(shown.length);
          const ranks = shown.map((title) => priority.indexOf(title));
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          expect(validateCard(card)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
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

  it('formats deadlines and windows compactly on one UTC day, with the date otherwise', () => {
    expect(formatUtc('2026-11-23T14:37:00Z', 'time')).toBe('14:37 UTC');
    expect(formatUtcAfter('2026-11-23T14:07:00Z', '2026-11-23T14:37:00Z')).toBe('14:37 UTC');
    expect(formatUtcAfter('2026-11-23T23:50:00Z', '2026-11-24T00:20:00Z')).toBe('24 Nov 00:20 UTC');
    expect(formatUtcRange('2026-11-23T14:00:00Z', '2026-11-23T14:05:00Z')).toBe('23 Nov 14:00–14:05 UTC');
    expect(formatUtcRange('2026-11-23T23:58:00Z', '2026-11-24T00:03:00Z')).toBe('23 Nov 23:58 UTC – 24 Nov 00:03 UTC');
  });

  it('defangs dots of domains, URLs and e-mail addresses but not of IPs', () => {
    expect(defangObservable('domain', 'evil.example')).toBe('evil[.]example');
    expect(defangObservable('url', 'https://evil.example/a')).toBe('hxxps[:]//evil[.]example/a');
    expect(defangObservable('email', 'x@evil.example')).toBe('x@evil[.]example');
    expect(defangObservable('ip', '52.109.8.21')).toBe('52.109.8.21');
  });

  it('escapes every Markdown delimiter it claims to', () => {
    expect(escapeMarkdown('\\ ` * _ ~ [ ] < > { }')).toBe('\\\\ \\` \\* \\_ \\~ \\[ \\] \\< \\> \\{ \\}');
    expect(userText('see https://evil.example', 80)).toBe('see hxxps[:]//evil.example');
  });
});
