import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../cards/format.js';
import type { AlertActionVerb, CardElement, VerdictCardInput, VerdictSource } from '../../cards/types.js';
import { MAX_MARKDOWN_BYTES } from '../../cards/types.js';
import { verdictCard } from '../../cards/verdict.js';
import { validateCard } from '../helpers/adaptive-cards.js';
import { actionsOf, allTexts, expectNoMarkup, loadFixture } from './card-helpers.js';
import { worstVerdictInput } from '../fixtures/cards/worst-inputs.js';

/** `/enrich 52.109.8.21` from an alert's Enrich button: four sources answered, VirusTotal was rate limited. */
const maliciousIp = (): VerdictCardInput => loadFixture<VerdictCardInput>('verdict-malicious-ip');

/** A phishing URL whose every text field tries to inject Markdown, links or mentions. */
const hostileUrl = (): VerdictCardInput => loadFixture<VerdictCardInput>('verdict-hostile');
/** The malicious-IP input without its unavailable source: every asked source answered. */
const everySourceAnswered = (): VerdictCardInput => {
  const input = maliciousIp();
  return { ...input, sources: input.sources.filter((source) => source.status !== 'unavailable') };
};

function sourceBlocks(body: CardElement[]): CardElement[] {
  return body.filter((element) => element.type === 'Container');
}

/** The bold first line of each source block. */
function sourceHeadlines(body: CardElement[]): string[] {
  return sourceBlocks(body).map((container) => String((container.items as CardElement[])[0]?.text));
}

function factsOf(container: CardElement | undefined): { title: string; value: string }[] {
  const factSet = (container?.items as CardElement[] | undefined)?.find((item) => item.type === 'FactSet');
  return (factSet?.facts ?? []) as { title: string; value: string }[];
}

function pivotList(body: CardElement[]): string | undefined {
  const text = body.find((element) => typeof element.text === 'string' && element.text.startsWith('- ['))?.text;
  return typeof text === 'string' ? text : undefined;
}

describe('verdictCard', () => {
  describe('for a malicious IP from an alert', () => {
    const { card, fallbackText } = verdictCard(maliciousIp());

    it('matches the snapshot', () => {
      expect(verdictCard(maliciousIp())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex', () => {
      expect(validateCard(card)).toEqual([]);
    });

    it('leads with the overall verdict, large and red', () => {
      expect(card.body[0]).toMatchObject({
        type: 'TextBlock',
        text: '🔴 Malicious',
        size: 'Large',
        weight: 'Bolder',
        color: 'Attention',
      });
    });

    it('names the observable and how many sources answered', () => {
      expect(card.body[1]).toMatchObject({ text: '52.109.8.21', weight: 'Bolder' });
      expect(card.body[2]).toMatchObject({ text: 'ip · 4 of 5 sources answered', isSubtle: true });
    });

    it('has one block per source with its verdict, coloured, in the given order', () => {
      expect(sourceHeadlines(card.body)).toEqual([
        'XDR · 🔴 Malicious',
        'Umbrella · 🔴 Malicious',
        'Secure Endpoint · 🟠 Suspicious (partial answer)',
        'SNA · ⚪ Unknown',
        'VirusTotal · unavailable — rate limited (HTTP 429)',
      ]);
      const colors = sourceBlocks(card.body).map((container) => (container.items as CardElement[])[0]?.color);
      expect(colors).toEqual(['Attention', 'Attention', 'Warning', undefined, undefined]);
    });

    it('shows a failed source as unavailable with the reason, subtle', () => {
      const virusTotal = sourceBlocks(card.body)[4];
      expect((virusTotal?.items as CardElement[])[0]).toMatchObject({ isSubtle: true });
      expect(fallbackText).toContain('- VirusTotal · unavailable — rate limited (HTTP 429)');
    });

    it('shows at most four facts per source', () => {
      const umbrella = sourceBlocks(card.body)[1];
      expect(factsOf(umbrella).map((fact) => fact.title)).toEqual(['Categories', 'Risk score', 'ASN', 'Country']);
    });

    it("shows a partial source's note small and subtle", () => {
      const items = sourceBlocks(card.body)[2]?.items as CardElement[];
      expect(items.at(-1)).toMatchObject({
        text: 'Device trajectory timed out after 10 s',
        size: 'Small',
        isSubtle: true,
      });
    });

    it('lists the pivots as a bulleted list of links', () => {
      expect(pivotList(card.body)).toBe(
        [
          '- [XDR Investigate](https://visibility.amp.cisco.com/investigate?q=52.109.8.21)',
          '- [Umbrella Investigate](https://investigate.umbrella.com/ip-view/52.109.8.21)',
          '- [VirusTotal](https://www.virustotal.com/gui/ip-address/52.109.8.21)',
        ].join('\n'),
      );
    });

    it('offers Block for the incident that asked, carrying the versioned data', () => {
      expect(actionsOf(card)).toEqual([
        {
          type: 'Action.Submit',
          title: 'Block peer',
          data: { action: 'block', v: 1, incidentId: 'inc-16-192.168.91.6-20210204T132038Z' },
        },
      ]);
    });

    it('ends with when it was generated and for which incident', () => {
      expect(card.body.at(-1)).toMatchObject({
        text: 'Generated 4 Feb 2021 14:09 UTC · incident inc-16-192.168.91.6-20210204T132038Z',
        size: 'Small',
        isSubtle: true,
      });
    });

    it('repeats the essentials in the Markdown fallback', () => {
      expect(fallbackText.split('\n')).toEqual([
        '**🔴 Malicious** · ip 52.109.8.21',
        '4 of 5 sources answered',
        '- XDR · 🔴 Malicious · Judgements: 2 malicious, 1 unknown · Sightings: 5 in 30 days',
        '- Umbrella · 🔴 Malicious · Categories: Malware, Command and Control · Risk score: 87 · ASN: AS8075 Microsoft · Country: US',
        '- Secure Endpoint · 🟠 Suspicious (partial answer) · Computers: 1 connected (WIN-FIN-07) · Device trajectory timed out after 10 s',
        '- SNA · ⚪ Unknown · Host groups: United States · Flows (24 h): 1,204',
        '- VirusTotal · unavailable — rate limited (HTTP 429)',
        'Pivot: [XDR Investigate](https://visibility.amp.cisco.com/investigate?q=52.109.8.21) · [Umbrella Investigate](https://investigate.umbrella.com/ip-view/52.109.8.21) · [VirusTotal](https://www.virustotal.com/gui/ip-address/52.109.8.21)',
        'Generated 4 Feb 2021 14:09 UTC · incident inc-16-192.168.91.6-20210204T132038Z',
      ]);
    });
  });

  describe('variations', () => {
    it.each([
      ['malicious', '🔴 Malicious', 'Attention'],
      ['suspicious', '🟠 Suspicious', 'Warning'],
      ['clean', '🟢 Clean', 'Good'],
    ] as const)('colours an overall %s verdict', (overall, text, color) => {
      expect(verdictCard({ ...everySourceAnswered(), overall }).card.body[0]).toMatchObject({ text, color });
    });

    it('leaves an unknown overall verdict in the default colour', () => {
      const { card } = verdictCard({ ...everySourceAnswered(), overall: 'unknown' });
      expect(card.body[0]?.text).toBe('⚪ Unknown');
      expect(card.body[0]).not.toHaveProperty('color');
    });

    it('says a verdict below Malicious is incomplete while a source was unavailable, never a plain "Unknown"', () => {
      const { card, fallbackText } = verdictCard({ ...maliciousIp(), overall: 'unknown' });
      expect(card.body[0]?.text).toBe('⚪ Unknown (incomplete: 1 source unavailable)');
      expect(fallbackText).toContain('Unknown (incomplete: 1 source unavailable)');
      expect(verdictCard({ ...maliciousIp(), overall: 'malicious' }).card.body[0]?.text).toBe('🔴 Malicious');
    });

    it('has no buttons for a plain /enrich, even when verbs are listed', () => {
      const { card } = verdictCard({ ...maliciousIp(), incidentId: undefined });
      expect(card.actions).toBeUndefined();
      expect(card.body.at(-1)?.text).toBe('Generated 4 Feb 2021 14:09 UTC');
      expect(validateCard(card)).toEqual([]);
    });

    it('keeps at most five buttons, in priority order, when every verb is allowed', () => {
      const all: AlertActionVerb[] = ['escalate', 'enrich', 'ack', 'untag', 'tag', 'unblock', 'block', 'approve-block'];
      const { card } = verdictCard({ ...maliciousIp(), actions: all });
      expect(card.actions?.map((action) => action.title)).toEqual([
        'Approve block',
        'Block peer',
        'Unblock',
        'Tag host',
        'Untag',
      ]);
      expect(validateCard(card)).toEqual([]);
    });

    it('says so when every answer came from cache', () => {
      const { card, fallbackText } = verdictCard({ ...maliciousIp(), cachedAt: '2021-02-04T14:00:00Z' });
      expect(card.body.at(-1)?.text).toContain('· all from cache, 4 Feb 14:00 UTC');
      expect(fallbackText).toContain('all from cache, 4 Feb 14:00 UTC');
    });

    it('shows "unavailable — no answer" when a failed source gives no reason', () => {
      const { card } = verdictCard({
        ...maliciousIp(),
        sources: [{ name: 'Umbrella', status: 'unavailable', facts: [] }],
      });
      expect(sourceHeadlines(card.body)).toEqual(['Umbrella · unavailable — no answer']);
      expect(card.body[2]?.text).toBe('ip · 0 of 1 source answered');
    });

    it('does not count sources that do not apply to the observable', () => {
      const { card } = verdictCard(hostileUrl());
      expect(card.body[2]?.text).toBe('url · 1 of 2 sources answered');
      expect(sourceHeadlines(card.body)[2]).toBe(
        'Secure Endpoint · not applicable — URLs are not an endpoint observable',
      );
    });

    it('says so when no source could look the observable up', () => {
      const { card } = verdictCard({ ...maliciousIp(), sources: [], pivots: [] });
      expect(card.body[2]?.text).toBe('ip · No source could look this up');
      expect(validateCard(card)).toEqual([]);
    });

    it('says "no verdict" for a source that answered without one', () => {
      const { card } = verdictCard({
        ...maliciousIp(),
        sources: [{ name: 'SNA', status: 'ok', facts: [{ title: 'Flows', value: '3' }] }],
      });
      expect(sourceHeadlines(card.body)).toEqual(['SNA · no verdict']);
    });

    it('leaves out the pivot section when there are no usable links', () => {
      const { card } = verdictCard({ ...maliciousIp(), pivots: [{ title: 'Bad', url: 'javascript:alert(1)' }] });
      expect(allTexts(card)).not.toContain('Pivot');
      expect(card.body.at(-1)).toMatchObject({ separator: true });
    });

    it('shows eight sources at most and counts the rest', () => {
      const sources: VerdictSource[] = Array.from({ length: 11 }, (_, index) => ({
        name: `Source ${index}`,
        status: 'ok',
        verdict: 'clean',
        facts: [],
      }));
      const { card, fallbackText } = verdictCard({ ...maliciousIp(), sources });
      expect(sourceBlocks(card.body)).toHaveLength(8);
      expect(allTexts(card)).toContain('+3 more sources');
      expect(fallbackText).toContain('\n+3 more sources\n');
    });
  });

  describe('with hostile input', () => {
    const { card, fallbackText } = verdictCard(hostileUrl());

    it('matches the snapshot', () => {
      expect(verdictCard(hostileUrl())).toMatchSnapshot();
    });

    it('is a valid Adaptive Card 1.3 for Webex', () => {
      expect(validateCard(card)).toEqual([]);
    });

    it('defangs and escapes the observable so it cannot be clicked', () => {
      expect(card.body[1]?.text).toBe(
        'hxxps[:]//evil[.]example/\\[login\\]\\(hxxp[:]//phish[.]example) \\*\\*now\\*\\* \\<@all\\> # pwned',
      );
      expect(fallbackText.split('\n')[0]).toBe(
        `**🟠 Suspicious (incomplete: 1 source unavailable)** · url ${String(card.body[1]?.text)}`,
      );
    });

    it('escapes source names, facts and notes', () => {
      const texts = allTexts(card).filter((text) => text !== pivotList(card.body));
      for (const text of texts) expectNoMarkup(text);
      expect(sourceHeadlines(card.body)[0]).toBe(
        '\\*\\*Umbrella\\*\\* \\[fake\\]\\(hxxp[:]//evil.example) · 🟠 Suspicious',
      );
      expect(sourceHeadlines(card.body)[1]).toBe('VirusTotal · unavailable — \\[retry\\]\\(javascript:alert(1))');
    });

    it('links only http(s) pivots, with escaped titles and encoded parentheses', () => {
      expect(pivotList(card.body)?.split('\n')).toEqual([
        '- [\\[XDR\\]\\(hxxp[:]//evil.example) \\*\\*now\\*\\*](https://visibility.amp.cisco.com/investigate?q=evil.example)',
        '- [Plain HTTP](http://intel.example.internal/lookup?q=evil.example)',
        '- [www.virustotal.com](https://www.virustotal.com/gui/url/abc%29%28def)',
      ]);
      // Every real link (an unescaped "](") leads to http(s); the dropped schemes appear in no link.
      for (const text of [...allTexts(card), fallbackText]) expect(text).not.toMatch(/(?<!\\)\]\((?!https?:\/\/)/);
      expect(pivotList(card.body)).not.toMatch(/javascript|data:|ftp:|\(\/investigate/);
    });

    it('stays valid, under 20 KB and within the fallback byte limit for the worst input', () => {
      const worst = worstVerdictInput();
      const rendered = verdictCard(worst);
      expect(validateCard(rendered.card)).toEqual([]);
      expect(utf8ByteLength(rendered.fallbackText)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      expect(rendered.card.actions?.length).toBeLessThanOrEqual(5);
      expect(rendered.card.body[0]?.text).toBe('🔴 Malicious');
      expect(rendered.fallbackText.startsWith('**🔴 Malicious**')).toBe(true);
      // Sources that did not fit are counted rather than silently dropped.
      const shown = sourceBlocks(rendered.card.body).length;
      expect(allTexts(rendered.card)).toContain(`+${50 - shown} more sources`);
    });
  });
});
