/**
 * Cleaning and truncating text from outside systems must stay cheap on hostile, huge text (cards
 * are built from it). Truncation reads only the start of a long text (Intl.Segmenter's
 * cost grows with the whole text: a 147 kB hostile field took seconds to cut to a card's 7 kB).
 * These properties hold the bounded cut to the plain one that walks the whole text, on texts
 * made of the clusters that make cutting hard (combining-mark runs, ZWJ emoji, surrogate pairs,
 * escaping backslashes) and cuts at every length; one-pass cleaning and the blank check are held
 * to the two-pass cleaning they replaced. Speed itself is measured by bench/hostile-cards.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, isBlank, truncate, truncateUtf8, utf8ByteLength } from '../../cards/format.js';
import { FC_SEED, hostileText } from './arbitraries.js';

const run = (numRuns: number) => ({ seed: FC_SEED, numRuns });
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const ELLIPSIS = '…';

/** The plain cut: whole clusters of the whole text while they fit, then "…". */
function plainCut(text: string, budget: number, measure: (s: string) => number): string {
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (used + measure(segment) > budget) break;
    kept += segment;
    used += measure(segment);
  }
  return kept;
}
const codePoints = (s: string) => [...s].length;

const piece = fc.constantFrom(
  'a',
  'Z',
  ' ',
  '\\',
  '*',
  'é',
  'e\u0301',
  'a' + '\u0301'.repeat(40),
  '👍🏽',
  '👩‍💻',
  '👨‍👩‍👧‍👦',
  '🇫🇷',
  '𝔘',
  '中',
);
const text = fc.array(piece, { maxLength: 200 }).map((parts) => parts.join(''));

describe('truncating long text', () => {
  it('cuts to code points exactly as a walk over the whole text does', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 300 }), (t, max) => {
        const expected = codePoints(t) <= max ? t : plainCut(t, max - 1, codePoints) + ELLIPSIS;
        expect(truncate(t, max)).toBe(expected);
      }),
      run(400),
    );
  });

  it('cuts to UTF-8 bytes exactly as a walk over the whole text does, within the budget', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 900 }), (t, max) => {
        const cut = truncateUtf8(t, max);
        expect(utf8ByteLength(cut)).toBeLessThanOrEqual(max);
        const budget = max - utf8ByteLength(ELLIPSIS);
        const kept = plainCut(t, budget, utf8ByteLength);
        const trailing = /\\+$/.exec(kept)?.[0].length ?? 0;
        const expected =
          utf8ByteLength(t) <= max ? t : budget < 0 ? '' : (trailing % 2 === 1 ? kept.slice(0, -1) : kept) + ELLIPSIS;
        expect(cut).toBe(expected);
      }),
      run(400),
    );
  });
});

describe('cleaning text', () => {
  // The two-pass cleaning it replaced: each unsafe character a space, then whitespace collapsed.
  // eslint-disable-next-line no-control-regex -- the characters cleaning removes.
  const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
  const twoPass = (t: string) => t.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const blanks = fc.constantFrom(' ', '\n', '\t', '\u00a0', '\u2028', '\u202e', '\u200f', '\ufeff', '\u0000', '\u0085');
  const mixed = fc.oneof(
    hostileText(),
    fc.array(fc.oneof(blanks, piece), { maxLength: 40 }).map((p) => p.join('')),
  );

  it('reads as the two-pass cleaning did, and is blank exactly when nothing is left', () => {
    fc.assert(
      fc.property(mixed, (t) => {
        expect(cleanText(t)).toBe(twoPass(t));
        expect(isBlank(t)).toBe(twoPass(t) === '');
      }),
      run(1000),
    );
  });
});
