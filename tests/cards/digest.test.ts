import { describe, expect, it } from 'vitest';
import { digestCard } from '../../cards/digest.js';
import { utf8ByteLength } from '../../cards/format.js';
import type { DigestCardInput, Severity } from '../../cards/types.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { validateCard } from '../helpers/adaptive-cards.js';
import { allTexts, expectNoMarkup, huge, loadFixture, withoutOwnBold } from './card-helpers.js';

/** One poll with 30 new incidents, of which the bot passed the first 12 it found. */
const poll = (): DigestCardInput => loadFixture<DigestCardInput>('digest-poll');

/** The incident rows: the TextBlocks that start with a bold severity. */
function rows(texts: string[]): string[] {
  return texts.filter((text) => /^\*\*(CRITICAL|HIGH|MEDIUM|LOW)\*\*/.test(text));
}

type DigestIncident = DigestCardInput['incidents'][number];

function incident(index: number, severity: Severity, overrides: Partial<DigestIncident> = {}): DigestIncident {
  return {
    incidentId: `inc-${index}`,
    host: `10.0.0.${index}`,
    eventName: 'High Total Traffic',
    severity,
    eventCount: 1,
    ...overrides,
  };
}

describe('digestCard', () => {
  describe('for a poll with 30 new incidents', () => {
    const { card, fallbackText } = digestCard(poll());

    it('matches the snapshot', () => {
      expect(digestCard(poll())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex, with no buttons', () => {
      expect(validateCard(card)).toEqual([]);
      expect(card.actions).toBeUndefined();
    });

    it('says how many incidents arrived, coloured by the worst one, and in which window', () => {
      expect(card.body[0]).toMatchObject({
        text: '30 new incidents in the last poll',
        weight: 'Bolder',
        color: 'Attention',
      });
      expect(card.body[1]).toMatchObject({ text: '4 Feb 14:00–14:05 UTC', isSubtle: true });
    });

    it('lists the ten worst by severity, then by event count, one compact line each', () => {
      expect(rows(allTexts(card))).toEqual([
        '**CRITICAL** · 10.0.2.30 · Worm Propagation · 5 events · id inc-42-10.0.2.30-20210204T140211Z',
        '**CRITICAL** · 10.0.0.5 · Suspect Data Hoarding · 2 events · id inc-24-10.0.0.5-20210204T140130Z',
        '**HIGH** · 10.0.0.8 · High Total Traffic · 7 events · id inc-16-10.0.0.8-20210204T140205Z',
        '**HIGH** · 192.168.91.6 · High Total Traffic · 3 events · id inc-16-192.168.91.6-20210204T140112Z',
        '**HIGH** · 10.0.1.12 · Data Exfiltration · 1 event · id inc-33-10.0.1.12-20210204T140301Z',
        '**MEDIUM** · 10.0.5.61 · Max Flows Initiated · 4 events · id inc-20-10.0.5.61-20210204T140225Z',
        '**MEDIUM** · 10.0.0.9 · High Total Traffic · 2 events · id inc-16-10.0.0.9-20210204T140322Z',
        '**MEDIUM** · 10.0.3.3 · New Flows Initiated · 1 event · id inc-11-10.0.3.3-20210204T140218Z',
        '**MEDIUM** · 10.0.3.4 · New Flows Initiated · 1 event · id inc-11-10.0.3.4-20210204T140219Z',
        '**LOW** · 10.0.4.17 · Port Scan · 14 events · id inc-9-10.0.4.17-20210204T140200Z',
      ]);
    });

    it('counts the rest and points to /incidents open', () => {
      expect(allTexts(card)).toContain('+20 more — /incidents open');
      expect(fallbackText).toContain('\n+20 more — /incidents open');
    });

    it('tells operators how to acknowledge one', () => {
      expect(card.body.at(-1)).toMatchObject({
        text: 'Generated 4 Feb 2021 14:05 UTC · reply /ack \\<id\\> to acknowledge',
        size: 'Small',
        isSubtle: true,
      });
    });

    it('repeats the count, the window and the same ten lines in the fallback', () => {
      const lines = fallbackText.split('\n');
      expect(lines[0]).toBe('**30 new incidents in the last poll** (4 Feb 14:00–14:05 UTC)');
      expect(lines.slice(1, 11)).toEqual(rows(allTexts(card)).map((row) => `- ${row}`));
      expect(lines).toHaveLength(12);
    });
  });

  describe('variations', () => {
    it('lists everything, with a severity breakdown, when the whole poll fits', () => {
      const incidents = [incident(1, 'medium'), incident(2, 'critical'), incident(3, 'medium')];
      const { card, fallbackText } = digestCard({ ...poll(), total: 3, incidents });
      expect(card.body[1]?.text).toBe('4 Feb 14:00–14:05 UTC · 1 critical, 2 medium');
      expect(rows(allTexts(card))).toHaveLength(3);
      expect(allTexts(card).join('\n')).not.toContain('more');
      expect(fallbackText).not.toContain('more');
    });

    it('uses the singular for one incident and one event', () => {
      const { card } = digestCard({ ...poll(), total: 1, incidents: [incident(1, 'low')] });
      expect(card.body[0]).toMatchObject({ text: '1 new incident in the last poll', color: 'Accent' });
      expect(rows(allTexts(card))).toEqual(['**LOW** · 10.0.0.1 · High Total Traffic · 1 event · id inc-1']);
    });

    it('trusts the incidents it was given when the total is too small or not a number', () => {
      const incidents = [incident(1, 'high'), incident(2, 'high')];
      expect(digestCard({ ...poll(), total: 1, incidents }).card.body[0]?.text).toBe(
        '2 new incidents in the last poll',
      );
      expect(digestCard({ ...poll(), total: Number.NaN, incidents }).card.body[0]?.text).toBe(
        '2 new incidents in the last poll',
      );
    });

    it('names the days of a window that crosses midnight', () => {
      const window = { from: '2021-02-04T23:58:00Z', to: '2021-02-05T00:03:00Z' };
      expect(digestCard({ ...poll(), window }).card.body[1]?.text).toBe('4 Feb 23:58 UTC – 5 Feb 00:03 UTC');
    });

    it('stays valid with no incidents listed', () => {
      const { card } = digestCard({ ...poll(), total: 0, incidents: [] });
      expect(card.body[0]).toMatchObject({ text: '0 new incidents in the last poll' });
      expect(card.body[0]).not.toHaveProperty('color');
      expect(validateCard(card)).toEqual([]);
    });

    it('keeps the order of incidents that tie on severity and event count', () => {
      const incidents = [incident(3, 'high'), incident(1, 'high'), incident(2, 'high')];
      const ids = rows(allTexts(digestCard({ ...poll(), total: 3, incidents }).card)).map(
        (row) => row.split(' · id ')[1],
      );
      expect(ids).toEqual(['inc-3', 'inc-1', 'inc-2']);
    });
  });

  describe('with hostile input', () => {
    it('escapes host and event names on the card and in the fallback', () => {
      const incidents = [
        incident(1, 'high', {
          host: '[10.0.0.1](http://evil.example)',
          eventName: '**Big** <@all> `x` {{DATE(2017-02-14T06:08:39Z)}}',
          incidentId: 'inc_1_*',
        }),
      ];
      const { card, fallbackText } = digestCard({ ...poll(), total: 1, incidents });
      const [row] = rows(allTexts(card));
      expect(row).toBe(
        '**HIGH** · \\[10.0.0.1\\]\\(hxxp[:]//evil.example) · \\*\\*Big\\*\\* \\<@all\\> \\`x\\` \\{\\{DATE(2017-02-14T06:08:39Z)\\}\\} · 1 event · id inc\\_1\\_\\*',
      );
      expectNoMarkup(withoutOwnBold(String(row)));
      for (const line of fallbackText.split('\n').slice(1)) expectNoMarkup(withoutOwnBold(line));
      expect(validateCard(card)).toEqual([]);
    });

    it('stays valid, under 20 KB and within the fallback byte limit for the worst input', () => {
      const incidents = Array.from({ length: 1_000 }, (_, index) =>
        incident(index, 'critical', {
          host: huge('\\'),
          eventName: huge('👩‍💻'),
          incidentId: `inc-${index}-${'x'.repeat(200)}`,
          eventCount: 1e12,
        }),
      );
      const { card, fallbackText } = digestCard({
        total: 5_000,
        incidents,
        window: { from: huge('<'), to: huge('>') },
        generatedAt: huge('*'),
      });
      expect(validateCard(card)).toEqual([]);
      expect(utf8ByteLength(fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      const shown = rows(allTexts(card)).length;
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(10);
      expect(allTexts(card)).toContain(`+${(5_000 - shown).toLocaleString('en-US')} more — /incidents open`);
      expect(fallbackText).toMatch(/\n\+[\d,]+ more — \/incidents open$/);
    });
  });
});
