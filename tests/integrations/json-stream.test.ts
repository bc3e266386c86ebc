/**
 * The streaming reader of large answers: whatever the document and however it is cut into chunks
 * (a multi-byte character or an escape split across two), it hands over exactly the elements
 * `JSON.parse` would find at the path, and refuses exactly the documents `JSON.parse` refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, readJsonArray } from '../../integrations/json-stream.js';
import { FC_SEED } from '../fuzz/arbitraries.js';

async function* chunked(text: string, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of points) {
    yield bytes.subarray(from, point);
    from = point;
  }
  yield bytes.subarray(from);
}

async function read(text: string, path: readonly string[], cuts: readonly number[] = []) {
  const elements: unknown[] = [];
  const { envelope } = await readJsonArray(chunked(text, cuts), path, (value, n) => {
    expect(n).toBe(elements.length);
    elements.push(value);
  });
  return { elements, envelope };
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });
/** Strings that stress the scan: quotes, backslashes, brackets and commas inside them, multi-byte text. */
const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom('"', '\\', '\\"', '\\\\', '"]},[{', 'ü', '€', '😀', ':', 'results', 'data', '\u2028'),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    trickyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('reading one array of a JSON document as it streams in', () => {
  it('hands over the elements at the path, in order, and keeps the rest as the envelope', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(json, { maxLength: 8 }),
        fc.dictionary(trickyString, json, { maxKeys: 3 }),
        fc.boolean(),
        cuts,
        async (results, extra, pretty, at) => {
          const document = { ...extra, data: { before: extra, results, after: [results] } };
          const text = JSON.stringify(document, null, pretty ? 2 : undefined);
          const { elements, envelope } = await read(text, ['data', 'results'], at);
          const expected = JSON.parse(text) as { data: { results: unknown[] } };
          expect(elements).toEqual(expected.data.results);
          expect(envelope).toEqual({ ...expected, data: { ...expected.data, results: results.map(() => 0) } });
        },
      ),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(json, { maxLength: 4 }), fc.nat(), fc.nat(), cuts, async (results, cut, insert, at) => {
        const whole = JSON.stringify({ data: { results } });
        // Damage the document: drop a piece of it, or put a stray character in.
        const n = cut % whole.length;
        const damaged = [
          whole.slice(0, n),
          whole.slice(0, n) + whole.slice(n + 1 + (insert % 3)),
          whole.slice(0, n) + ['"', ',', ']', '}', '{', 'x', '\\'][insert % 7] + whole.slice(n),
        ];
        for (const text of damaged) {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          const outcome = await read(text, ['data', 'results'], at).then(
            () => 'read',
            (error: unknown) => (error instanceof JsonSyntaxError ? 'refused' : error),
          );
          expect(outcome).toBe(valid ? 'read' : 'refused');
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it('reads the root array with an empty path, and leaves a non-array at the path to the envelope', async () => {
    expect((await read('[1, {"a": [2]}, "x"]', [])).elements).toEqual([1, { a: [2] }, 'x']);
    expect(await read('{"data": {"results": {"a": 1}}}', ['data', 'results'])).toEqual({
      elements: [],
      envelope: { data: { results: { a: 1 } } },
    });
  });

  it('says whether a refused document was empty', async () => {
    const refusal = (text: string) => read(text, ['data']).catch((e: unknown) => e as JsonSyntaxError);
    expect(await refusal('  ')).toMatchObject({ empty: true });
    expect(await refusal('{"data": [1,')).toMatchObject({ empty: false });
  });

  it('reads bytes that are not UTF-8, a byte-order mark and plain ASCII as one TextDecoder over the whole would', async () => {
    const bytes = (...parts: Array<string | number[]>) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    // A character cut short at a chunk's end, followed by an ASCII chunk; a mark before ASCII chunks.
    const cases: Buffer[][] = [
      [bytes('{"data": ["a', [0xc3]), bytes('b", "c"]}')],
      [bytes([0xef, 0xbb, 0xbf]), bytes('{"data": ["a"]}')],
      [bytes('{"data": ["a'), bytes([0xe2, 0x82]), bytes([0xac], '", "b', [0xff]), bytes('"]}')],
    ];
    for (const chunks of cases) {
      async function* each(): AsyncGenerator<Uint8Array> {
        for (const chunk of chunks) yield new Uint8Array(chunk);
      }
      const expected = JSON.parse(new TextDecoder().decode(Buffer.concat(chunks))) as { data: unknown[] };
      const elements: unknown[] = [];
      await readJsonArray(each(), ['data'], (value) => elements.push(value));
      expect(elements).toEqual(expected.data);
    }
  });

  it('hands each element over as soon as it is complete, before the document has ended', async () => {
    const seen: unknown[] = [];
    let sent = 0;
    async function* slowly(): AsyncGenerator<Uint8Array> {
      for (const part of ['{"data": [{"n": 1}, {"n":', ' 2}, ', '{"n": 3}]}']) {
        sent += 1;
        yield Buffer.from(part);
        // The element completed by this part is out before the next part is even produced.
        expect(seen).toHaveLength(sent);
      }
    }
    await readJsonArray(slowly(), ['data'], (value) => seen.push(value));
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
});
