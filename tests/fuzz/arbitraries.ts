/**
 * Shared fast-check arbitraries for the fuzz suites: hostile chat text, observable-looking
 * tokens, command lines, and the seed every suite runs with (override with FC_SEED to explore;
 * a failure prints the seed and path to replay it).
 */
import fc from 'fast-check';

export const FC_SEED = Number(process.env.FC_SEED ?? 20_261_123);

/** Pieces people (and attackers) paste into chat. */
export const FRAGMENTS = [
  '/',
  '//',
  '@',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud800',
  'SNA Bot',
  'SNA',
  'status',
  'help',
  'block',
  'unblock',
  'enrich',
  'incident',
  'incidents',
  'snooze',
  'ack',
  'audit',
  'approve',
  'tag',
  'untag',
  'history',
  'assign',
  'resolve',
  'escalate',
  '7d',
  '999999w',
  '0s',
  '-1h',
  '[.]',
  '(.)',
  '[dot]',
  'hxxp://',
  'hxxps[:]//',
  '[:]',
  '[@]',
  '`',
  '```',
  '**',
  '_',
  '~~',
  '> ',
  '# ',
  '[x](javascript:alert(1))',
  '<b>',
  '<@personId:abc|Bob>',
  '<spark-mention data-object-type="person" data-object-id="x">',
  '</spark-mention>',
  '&lt;',
  '&amp;',
  '${x}',
  '%s',
  '%n',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'undefined',
  'null',
  'NaN',
  '1.2.3.4',
  '203.0.113.9',
  '10.0.0.1',
  '127.0.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '999.1.1.1',
  '::1',
  '2001:db8::1',
  'fe80::1%eth0',
  '203.0.113.0/24',
  'evil.example',
  'xn--80ak6aa92e.com',
  'http://a.example/c?d=e#f',
  'https://user:pass@evil.example:8443/x',
  'a@b.example',
  'a'.repeat(64),
  'A'.repeat(40),
  '9'.repeat(32),
  'ﷺ',
  '👩‍👩‍👧‍👦',
  'Z̷̢͉a̸l̴g̵o',
  'ＳＴＡＴＵＳ',
  'İ',
  'ß',
] as const;

/** Text glued from fragments, random unicode, or one piece repeated many times. */
export function hostileText(opts: { maxRepeat?: number } = {}): fc.Arbitrary<string> {
  const maxRepeat = opts.maxRepeat ?? 5000;
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((a) => a.join('')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('a', 'é', '👩‍👩‍👧‍👦', '[.]', 'x ', '1.2.3.4 ', '`', '\u0000'),
          fc.integer({ min: 100, max: maxRepeat }),
        )
        .map(([piece, n]) => piece.repeat(n)),
    },
  );
}

/** The names the bot knows, some with a typo or in another case. */
export const COMMAND_NAMES = [
  'help',
  'status',
  'enrich',
  'incidents',
  'incident',
  'ack',
  'assign',
  'resolve',
  'snooze',
  'escalate',
  'block',
  'unblock',
  'approve',
  'tag',
  'untag',
  'audit',
  'history',
] as const;

/** A command line: a known (or almost known) name and hostile arguments. */
export function commandLine(opts: { maxRepeat?: number } = {}): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.constantFrom(...COMMAND_NAMES),
    fc.constantFrom(...COMMAND_NAMES).map((n) => n.toUpperCase()),
    fc.constantFrom(...COMMAND_NAMES).map((n) => `${n}${n.at(-1) ?? ''}`),
  );
  return fc
    .tuple(fc.constantFrom('/', '', '//', ' /'), name, fc.constantFrom(' ', '  ', '\n', '\t', ''), hostileText(opts))
    .map(([slash, n, sep, args]) => `${slash}${n}${sep}${args}`);
}
