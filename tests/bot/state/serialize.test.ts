/**
 * Keyv's values are written by our serializer (native JSON.stringify) instead of Keyv's default
 * one: the text must stay exactly what Keyv's default writes, so state written before reads the
 * same and Keyv's default reader reads ours back to the value.
 */
import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeValue } from '../../../bot/state/serialize.js';
import { FC_SEED } from '../../fuzz/arbitraries.js';

/** JSON values whose strings often start with `:` (the one thing Keyv's format escapes). */
const colonString = fc.oneof(
  fc.string(),
  fc.string().map((s) => `:${s}`),
  fc.constantFrom(':', '::', ':base64:x'),
);
const value = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    colonString,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(colonString, tie('json'), { maxKeys: 4 }),
  ),
})).json;

describe('writing state values', () => {
  it("writes Keyv's own format, and Keyv's reader reads the value back", () => {
    fc.assert(
      fc.property(value, fc.option(fc.integer({ min: 0 }), { nil: undefined }), (stored, expires) => {
        const entry = { value: stored, expires };
        const text = serializeValue(entry);
        expect(text).toBe(defaultSerialize(entry));
        expect(defaultDeserialize(text)).toEqual(JSON.parse(JSON.stringify(entry)) as unknown);
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it('writes records with undefined fields, nested ids and timestamps as Keyv did', () => {
    const record = {
      value: { v: 2, d: { '10': { fp: '16|10.0.0.1||2026-01-01T00:00:00.000Z', points: undefined }, x: [undefined] } },
      expires: undefined,
    };
    expect(serializeValue(record)).toBe(defaultSerialize(record));
    for (const bare of [':x', 'x', 1, null, [':y'], { ':k': ':v' }])
      expect(serializeValue(bare)).toBe(defaultSerialize(bare));
  });
});
