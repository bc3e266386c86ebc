import { describe, expect, it } from 'vitest';
import { DIGEST_ACTIONS, DIGEST_OPEN_INPUT, digestCard, digestListPages } from '../../cards/digest.js';
import { utf8ByteLength } from '../../cards/format.js';
import type {
  AdaptiveCard,
  CardElement,
  DigestCardInput,
  DigestMessage,
  DigestRow,
  Severity,
} from '../../cards/types.js';
import { MAX_CARD_JSON_BYTES, MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { validateCard } from '../helpers/adaptive-cards.js';
import { actionsOf, allTexts, expectNoMarkup, huge, loadFixture, withoutOwnBold } from './card-helpers.js';

/** One poll with 30 new incidents of six event types in four host groups. */
const poll = (): DigestCardInput => loadFixture<DigestCardInput>('digest-poll');

const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];

/** The incident rows: the TextBlocks that start with a bold severity. */
function rows(card: AdaptiveCard): string[] {
  return allTexts(card).filter((text) => /^\*\*(CRITICAL|HIGH|MEDIUM|LOW)\*\*/.test(text));
}

/** Section titles: the bold TextBlocks between the header and the Open list. */
function sectionTitles(card: AdaptiveCard): string[] {
  return card.body.filter((e) => e.type === 'TextBlock' && e.separator === true).map((e) => String(e.text));
}

function openList(card: AdaptiveCard): CardElement | undefined {
  return card.body.find((e) => e.type === 'Input.ChoiceSet');
}

function choices(card: AdaptiveCard): Array<{ title: string; value: string }> {
  return (openList(card)?.choices ?? []) as Array<{ title: string; value: string }>;
}

function row(index: number, overrides: Partial<DigestRow> = {}): DigestRow {
  return {
    incidentId: `inc${String(index).padStart(5, '0')}`,
    host: `10.${Math.floor(index / 250)}.0.${(index % 250) + 1}`,
    hostGroup: 'Workstations',
    eventName: 'High Total Traffic',
    severity: SEVERITIES[index % 4] ?? 'low',
    points: 100 + ((index * 37) % 900),
    peer: `203.0.113.${(index % 250) + 1}`,
    otherPeers: index % 3,
    eventCount: 1 + (index % 5),
    ...overrides,
  };
}

function burst(count: number, overrides: (index: number) => Partial<DigestRow> = () => ({})): DigestCardInput {
  return { ...poll(), incidents: Array.from({ length: count }, (_, index) => row(index, overrides(index))) };
}

function withinLimits(message: DigestMessage): void {
  expect(validateCard(message.card)).toEqual([]);
  expect(utf8ByteLength(JSON.stringify(message.card))).toBeLessThanOrEqual(MAX_CARD_JSON_BYTES);
  expect(utf8ByteLength(message.fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
}

describe('digestCard', () => {
  describe('for a poll with 30 new incidents', () => {
    const { card, fallbackText, incidentIds } = digestCard(poll());

    it('matches the snapshot', () => {
      expect(digestCard(poll())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex, within the size limits', () => {
      withinLimits(digestCard(poll()));
    });

    it('says how many incidents arrived, coloured by the worst one, in which window and how severe', () => {
      expect(card.body[0]).toMatchObject({
        text: '30 new incidents in the last poll',
        weight: 'Bolder',
        color: 'Attention',
      });
      expect(card.body[1]).toMatchObject({
        text: '4 Feb 14:00–14:05 UTC · 4 critical, 6 high, 12 medium, 8 low',
        isSubtle: true,
      });
    });

    it('names every incident and every host, never "+N more"', () => {
      const input = poll();
      expect([...incidentIds].sort()).toEqual(input.incidents.map((i) => i.incidentId).sort());
      const texts = rows(card).join('\n');
      for (const incident of input.incidents) expect(texts).toContain(` · ${incident.host} · `);
      expect(allTexts(card).join('\n')).not.toMatch(/\+\d+ more/);
      expect(fallbackText).not.toMatch(/\+\d+ more/);
      expect(actionsOf(card).map((a) => a.title)).toEqual(['Open card']);
    });

    it('groups by event type, splitting by host group only where a type spans a few groups', () => {
      expect(sectionTitles(card)).toEqual([
        'Worm Propagation · Servers',
        'Suspect Data Hoarding · Servers',
        'High Total Traffic · Lab',
        'High Total Traffic · Servers',
        'Data Exfiltration · Workstations',
        'High Total Traffic · Workstations',
        'Max Flows Initiated · Servers',
        'New Flows Initiated',
        'Max Flows Initiated · Guest WiFi',
        'Port Scan · Workstations',
      ]);
    });

    it('shows each incident as severity · host · peer · points · id, worst first within its section', () => {
      const lab = rows(
        digestCard({ ...poll(), incidents: poll().incidents.filter((i) => i.hostGroup === 'Lab') }).card,
      );
      expect(lab).toEqual([
        '**CRITICAL** · 10.0.0.12 · 203.0.113.22 +2 · 2,400 pts · id va42bskh',
        '**CRITICAL** · 10.0.2.21 · 203.0.113.31 +2 · 2,100 pts · id xk5a2m5y',
        '**HIGH** · 10.0.1.15 · 203.0.113.25 +2 · 1,250 pts · id 8des8d4b',
        '**HIGH** · 10.0.1.18 · 203.0.113.28 +2 · 700 pts · id kgsj5zm6',
        '**HIGH** · 2001:db8::5 · 2001:db8:ffff::1 · 540 pts · id 6rxcghvz',
      ]);
      expect(rows(card)).toContain('**MEDIUM** · 10.2.3.5 · no peer · id w9d4n6za');
    });

    it('offers "Open card" for any host it names, acting on the first row by default', () => {
      expect(openList(card)).toMatchObject({ id: DIGEST_OPEN_INPUT, style: 'compact' });
      expect(choices(card).map((c) => c.value)).toEqual(incidentIds);
      expect(choices(card)[0]).toEqual({ title: '10.0.2.30 · CRITICAL · Worm Propagation', value: 'tnmkkwc6' });
      expect(actionsOf(card, 'Action.Submit')[0]?.data).toEqual({
        action: DIGEST_ACTIONS.open,
        v: 1,
        incidentId: incidentIds[0],
      });
    });

    it('repeats the sections and rows in the fallback', () => {
      const lines = fallbackText.split('\n');
      expect(lines[0]).toBe(
        '**30 new incidents in the last poll** (4 Feb 14:00–14:05 UTC · 4 critical, 6 high, 12 medium, 8 low)',
      );
      expect(lines.filter((l) => l.startsWith('- '))).toEqual(rows(card).map((r) => `- ${r}`));
      expect(lines).toContain('**New Flows Initiated**');
      expect(digestListPages(poll())).toEqual([]);
    });
  });

  describe('when the rows do not fit one card', () => {
    const input = burst(1000);
    const card = digestCard(input);
    const pages = digestListPages(input);

    it('carries the most severe rows, within Webex limits', () => {
      withinLimits(card);
      expect(card.incidentIds.length).toBeGreaterThan(50);
      const rank = (id: string) =>
        SEVERITIES.indexOf(input.incidents.find((i) => i.incidentId === id)?.severity ?? 'low');
      const worstLeftOut = Math.max(...pages.flatMap((p) => p.incidentIds).map(rank));
      expect(Math.min(...card.incidentIds.map(rank))).toBeGreaterThanOrEqual(worstLeftOut);
    });

    it('says how many are left and offers a button that lists them, never a bare "+N more"', () => {
      const rest = (1000 - card.incidentIds.length).toLocaleString('en-US');
      expect(allTexts(card.card)[2]).toBe(
        `The ${card.incidentIds.length} most severe are below; “List the other ${rest}” posts the other ${rest} in this thread.`,
      );
      const list = actionsOf(card.card).find((a) => a.title === `List the other ${rest}`);
      expect(list?.data).toEqual({ action: DIGEST_ACTIONS.list, v: 1, incidentId: card.incidentIds[0] });
      expect(card.fallbackText.split('\n').at(-1)).toBe(
        `The other ${rest} are listed in this thread (“List the other ${rest}”).`,
      );
    });

    it('pages the rest, each page within the limits, every incident named exactly once, worst first', () => {
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) withinLimits(page);
      const named = [card, ...pages].flatMap((m) => m.incidentIds);
      expect(named).toHaveLength(1000);
      expect(new Set(named).size).toBe(1000);
      const ranks = named.map((id) =>
        SEVERITIES.indexOf(input.incidents.find((i) => i.incidentId === id)?.severity ?? 'low'),
      );
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    });

    it('titles each page and lets any of its hosts be opened', () => {
      const [first] = pages;
      expect(first?.card.body[0]).toMatchObject({
        text: `The last poll's new incidents, continued (1 of ${pages.length})`,
      });
      expect(String(first?.card.body[1]?.text)).toMatch(
        new RegExp(`^4 Feb 14:00–14:05 UTC · ${card.incidentIds.length + 1}–\\d+ of 1,000, worst first$`),
      );
      expect(choices(first?.card as AdaptiveCard).map((c) => c.value)).toEqual(first?.incidentIds);
      expect(actionsOf(first?.card as AdaptiveCard).map((a) => a.data)).toEqual([
        { action: DIGEST_ACTIONS.open, v: 1, incidentId: first?.incidentIds[0] },
      ]);
    });

    it('pages the same way every time', () => {
      expect(digestListPages(burst(1000))).toEqual(pages);
    });
  });

  describe('variations', () => {
    it('uses the singular for one incident', () => {
      const { card } = digestCard({ ...poll(), incidents: [row(1, { severity: 'low' })] });
      expect(card.body[0]).toMatchObject({ text: '1 new incident in the last poll', color: 'Accent' });
    });

    it('names the days of a window that crosses midnight', () => {
      const window = { from: '2021-02-04T23:58:00Z', to: '2021-02-05T00:03:00Z' };
      expect(String(digestCard({ ...poll(), window }).card.body[1]?.text)).toMatch(
        /^4 Feb 23:58 UTC – 5 Feb 00:03 UTC · /,
      );
    });

    it('stays valid with no incidents, and has nothing to press', () => {
      const { card, incidentIds } = digestCard({ ...poll(), incidents: [] });
      expect(card.body[0]).toMatchObject({ text: '0 new incidents in the last poll' });
      expect(card.body[0]).not.toHaveProperty('color');
      expect(card.actions).toBeUndefined();
      expect(incidentIds).toEqual([]);
      expect(validateCard(card)).toEqual([]);
    });

    it('keeps the input order of incidents that tie on severity, points and events', () => {
      const incidents = [row(3), row(1), row(2)].map((r) => ({
        ...r,
        severity: 'high' as const,
        points: 600,
        eventCount: 1,
      }));
      expect(digestCard({ ...poll(), incidents }).incidentIds).toEqual(['inc00003', 'inc00001', 'inc00002']);
    });

    it('keeps a type whole when its hosts fall into many host groups (a section per host helps nobody)', () => {
      const { card } = digestCard(burst(12, (i) => ({ hostGroup: `Group ${i}` })));
      expect(sectionTitles(card)).toEqual(['High Total Traffic']);
    });

    it('renders rows queued by older versions, without peer, points or host group', () => {
      const { card } = digestCard({
        ...poll(),
        incidents: [
          { incidentId: 'old00001', host: '10.9.9.9', eventName: 'Port Scan', severity: 'low', eventCount: 2 },
        ],
      });
      expect(rows(card)).toEqual(['**LOW** · 10.9.9.9 · no peer · id old00001']);
      expect(sectionTitles(card)).toEqual(['Port Scan']);
    });
  });

  describe('with hostile input', () => {
    it('escapes hosts, peers, event and group names on the card, in the Open list and in the fallback', () => {
      const incidents = [
        row(1, {
          host: '[10.0.0.1](http://evil.example)',
          peer: '<@all>',
          hostGroup: '**Ops** `x`',
          eventName: '**Big** <@all> `x` {{DATE(2017-02-14T06:08:39Z)}}',
          incidentId: 'inc_1_*',
          severity: 'high',
        }),
      ];
      const { card, fallbackText } = digestCard({ ...poll(), incidents });
      expect(rows(card)).toEqual([
        '**HIGH** · \\[10.0.0.1\\]\\(hxxp[:]//evil.example) · \\<@all\\> +1 · 137 pts · id inc\\_1\\_\\*',
      ]);
      expect(sectionTitles(card)).toEqual([
        '\\*\\*Big\\*\\* \\<@all\\> \\`x\\` \\{\\{DATE(2017-02-14T06:08:39Z)\\}\\} · \\*\\*Ops\\*\\* \\`x\\`',
      ]);
      for (const text of [...allTexts(card), ...choices(card).map((c) => c.title)])
        expectNoMarkup(withoutOwnBold(text));
      for (const line of fallbackText.split('\n').slice(1)) {
        expectNoMarkup(withoutOwnBold(line.replace(/^\*\*(.*)\*\*$/, '$1')));
      }
      expect(choices(card)[0]?.value).toBe('inc_1_*');
      expect(validateCard(card)).toEqual([]);
    });

    it('names every incident of the worst input, every message within the limits', () => {
      const input: DigestCardInput = {
        incidents: Array.from({ length: 120 }, (_, index) =>
          row(index, {
            host: huge('\\'),
            peer: huge('👩‍💻'),
            hostGroup: huge('<'),
            eventName: huge('*'),
            incidentId: `inc-${index}-${'x'.repeat(200)}`,
            points: 1e12,
            otherPeers: 1e12,
            eventCount: 1e12,
          }),
        ),
        window: { from: huge('<'), to: huge('>') },
        generatedAt: huge('*'),
      };
      const card = digestCard(input);
      const pages = digestListPages(input);
      for (const message of [card, ...pages]) withinLimits(message);
      expect(new Set([card, ...pages].flatMap((m) => m.incidentIds)).size).toBe(120);
    });
  });
});
