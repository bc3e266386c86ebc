import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../cards/format.js';
import { incidentListCard } from '../../cards/incident-list.js';
import type { CardElement, IncidentListInput, IncidentListItem } from '../../cards/types.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { validateCard } from '../helpers/adaptive-cards.js';
import { allTexts, expectNoMarkup, huge, loadFixture, withoutOwnBold } from './card-helpers.js';

/** `/incidents open` with three incidents: one acked and assigned, one open, one snoozed. */
const openList = (): IncidentListInput => loadFixture<IncidentListInput>('incident-list-open');

/** Each row as [headline, details]. */
function rowsOf(body: CardElement[]): [string, string][] {
  return body
    .filter((element) => element.type === 'Container')
    .map((container) => {
      const [headline, details] = container.items as CardElement[];
      return [String(headline?.text), String(details?.text)];
    });
}

function item(index: number, overrides: Partial<IncidentListItem> = {}): IncidentListItem {
  return {
    incidentId: `inc-${index}`,
    host: `10.0.0.${index}`,
    eventName: 'High Total Traffic',
    severity: 'medium',
    state: 'open',
    lastActive: '2021-02-04T14:05:00Z',
    ...overrides,
  };
}

describe('incidentListCard', () => {
  describe('for three open incidents', () => {
    const { card, fallbackText } = incidentListCard(openList());

    it('matches the snapshot', () => {
      expect(incidentListCard(openList())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex, with no buttons', () => {
      expect(validateCard(card)).toEqual([]);
      expect(card.actions).toBeUndefined();
    });

    it('shows the title, the count and when the list was made', () => {
      expect(card.body[0]).toMatchObject({ text: 'Open incidents', weight: 'Bolder' });
      expect(card.body[1]).toMatchObject({ text: '3 incidents · 4 Feb 2021 14:30 UTC', isSubtle: true });
    });

    it('shows one two-line row per incident in the given order', () => {
      expect(rowsOf(card.body)).toEqual([
        [
          '**HIGH** · 192.168.91.6 · High Total Traffic',
          'Acked · 👤 Jane Doe · last 4 Feb 14:05 UTC · id inc-16-192.168.91.6-20210204T132038Z',
        ],
        [
          '**CRITICAL** · 10.0.0.5 · Suspect Data Hoarding',
          'Open · last 4 Feb 14:22 UTC · id inc-24-10.0.0.5-20210204T131500Z',
        ],
        [
          '**LOW** · 10.0.4.17 · Port Scan',
          'Open · last 4 Feb 12:48 UTC · 💤 until 4 Feb 18:00 UTC · id inc-9-10.0.4.17-20210204T120000Z',
        ],
      ]);
    });

    it('has no "+N more" when everything is listed', () => {
      expect(allTexts(card).join('\n')).not.toContain('more');
    });

    it('repeats the rows in the fallback', () => {
      expect(fallbackText.split('\n')).toEqual([
        '**Open incidents** (3 incidents)',
        ...rowsOf(card.body).map(([headline, details]) => `- ${headline} · ${details}`),
      ]);
    });
  });

  describe('variations', () => {
    it('shows twelve rows at most and counts the rest', () => {
      const incidents = Array.from({ length: 20 }, (_, index) => item(index));
      const { card, fallbackText } = incidentListCard({ ...openList(), incidents, total: 42 });
      expect(rowsOf(card.body)).toHaveLength(12);
      expect(card.body[1]?.text).toBe('Showing 12 of 42 · 4 Feb 2021 14:30 UTC');
      expect(card.body.at(-1)).toMatchObject({ text: '+30 more', isSubtle: true });
      expect(fallbackText.split('\n')[0]).toBe('**Open incidents** (42 incidents)');
      expect(fallbackText.endsWith('\n+30 more')).toBe(true);
      expect(validateCard(card)).toEqual([]);
    });

    it('says "No incidents." for an empty list', () => {
      const { card, fallbackText } = incidentListCard({ ...openList(), incidents: [], total: 0 });
      expect(allTexts(card)).toEqual(['Open incidents', '0 incidents · 4 Feb 2021 14:30 UTC', 'No incidents.']);
      expect(fallbackText).toBe('**Open incidents** (0 incidents)\nNo incidents.');
      expect(validateCard(card)).toEqual([]);
    });

    it('marks resolved incidents and uses the singular for one', () => {
      const { card } = incidentListCard({ ...openList(), incidents: [item(1, { state: 'resolved' })], total: 1 });
      expect(card.body[1]?.text).toBe('1 incident · 4 Feb 2021 14:30 UTC');
      expect(rowsOf(card.body)[0]?.[1]).toBe('✅ Resolved · last 4 Feb 14:05 UTC · id inc-1');
    });

    it('falls back to "Incidents" for a blank title', () => {
      expect(incidentListCard({ ...openList(), title: ' \n ' }).card.body[0]?.text).toBe('Incidents');
    });
  });

  describe('with hostile input', () => {
    it('escapes the title, hosts, event names and assignees', () => {
      const evil = '[x](http://evil.example) **b** <@all> _i_';
      const { card, fallbackText } = incidentListCard({
        title: evil,
        total: 1,
        generatedAt: '2021-02-04T14:30:00Z',
        incidents: [item(1, { host: evil, eventName: evil, assignee: evil, incidentId: evil })],
      });
      for (const text of allTexts(card)) expectNoMarkup(withoutOwnBold(text));
      for (const line of fallbackText.split('\n').slice(1)) expectNoMarkup(withoutOwnBold(line));
      expect(card.body[0]?.text).toBe('\\[x\\]\\(hxxp[:]//evil.example) \\*\\*b\\*\\* \\<@all\\> \\_i\\_');
      expect(validateCard(card)).toEqual([]);
    });

    it('stays valid, under 20 KB and within the fallback byte limit for the worst input', () => {
      const incidents = Array.from({ length: 500 }, (_, index) =>
        item(index, {
          host: huge('\\'),
          eventName: huge('👩‍💻'),
          assignee: huge('&lt;'),
          incidentId: `inc-${index}-${'x'.repeat(200)}`,
          snoozedUntil: huge('*'),
          lastActive: huge('<'),
          severity: 'critical',
        }),
      );
      const { card, fallbackText } = incidentListCard({
        title: huge('Z̷̢̛'),
        incidents,
        total: 1e6,
        generatedAt: huge('y'),
      });
      expect(validateCard(card)).toEqual([]);
      expect(utf8ByteLength(fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      const shown = rowsOf(card.body).length;
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(12);
      expect(card.body.at(-1)?.text).toBe(`+${(1e6 - shown).toLocaleString('en-US')} more`);
      expect(fallbackText).toMatch(/\n\+[\d,]+ more$/);
    });
  });
});
