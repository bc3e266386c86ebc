/**
 * The plain-record reader is a fast path next to the security-event record schema, never a second
 * definition of a valid record: whatever it reads, the schema must read the same way (the same
 * event as the schema's reading normalized by `toSnaEvent`), and it may only leave to the schema
 * what the schema then judges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSnaEvent } from '../../../integrations/sna/normalize.js';
import { PlainRecordReader } from '../../../integrations/sna/plain-record.js';
import { securityEventRecordSchema } from '../../../integrations/sna/schemas.js';
import { FC_SEED } from '../../fuzz/arbitraries.js';

const valid = {
  id: 5223,
  domainId: 102,
  deviceId: 121,
  securityEventType: 310,
  firstActiveTime: '2021-02-04T13:20:38.000+0000',
  lastActiveTime: '2021-02-04T13:20:39.000+0000',
  source: { ipAddress: '192.168.91.6', port: 0, protocol: 'udp', tags: [{ name: 'Catch All', id: 65534 }] },
  target: { ipAddress: '52.109.8.21', port: 137, protocol: 'udp', tags: [{ name: 'United States', id: 61627 }] },
  details: [
    { key: 'source_host@username', value: '' },
    { key: 'points', value: '162' },
  ],
  hitCount: 1,
};

/** Values that sit on or across the schema's edges, for any field. */
const edgy = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    0,
    -0,
    -1,
    1.5,
    65_535,
    65_536,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    '1',
    'tcp',
    'x'.repeat(32),
    'x'.repeat(33),
    'x'.repeat(256),
    'x'.repeat(257),
    'y'.repeat(4097),
    '10.0.0.1',
    '10.0.0.256',
    '::1',
    '::1\n',
    'fe80::1%eth0',
    '2001:db8::1',
    '1.2.3',
    '2021-02-04T13:20:38.000+0000',
    '2021-02-30T13:20:38.000+0000',
    '2021-02-04T13:20:38Z',
    '2021-02-04T13:20:38.5+01:00',
    '2021-02-04 13:20:38',
    [],
    {},
    [{ name: 'G', id: 1 }],
    [{ name: 'G', id: '1' }],
    [{ key: 'points', value: 7 }],
    [{ key: '', value: 'x' }],
    [{ key: 'k', value: null }],
    [{ key: 'k', value: Number.NaN }],
    [{ key: 'k', value: {} }],
    [null],
    [{ key: '__proto__', value: 'x' }],
    [
      { key: 'points', value: '7' },
      { key: 'k', value: 1 },
      { key: 'points', value: ' 12.5 ' },
    ],
    [{ key: 'points', value: '1e3' }],
    [{ key: '7', value: 'x' }],
  ),
  fc.integer(),
  fc.string(),
  fc.double(),
);

/** Paths of the record a mutation may change (endpoint fields on either side). */
const PATHS: ReadonlyArray<readonly string[]> = [
  ['id'],
  ['domainId'],
  ['deviceId'],
  ['securityEventType'],
  ['firstActiveTime'],
  ['lastActiveTime'],
  ['hitCount'],
  ['details'],
  ['source'],
  ['target'],
  ...['source', 'target'].flatMap((side) => ['ipAddress', 'port', 'protocol', 'tags'].map((f) => [side, f])),
];

function mutated(changes: ReadonlyArray<{ path: readonly string[]; value: unknown; drop: boolean }>): unknown {
  const record = structuredClone(valid) as Record<string, unknown>;
  for (const { path, value, drop } of changes) {
    let holder: Record<string, unknown> | undefined = record;
    for (const key of path.slice(0, -1)) {
      const next: unknown = holder?.[key];
      holder =
        typeof next === 'object' && next !== null && !Array.isArray(next)
          ? (next as Record<string, unknown>)
          : undefined;
    }
    const last = path[path.length - 1];
    if (!holder || last === undefined) continue;
    if (drop) delete holder[last];
    else holder[last] = value;
  }
  return record;
}

function sameAsSchema(raw: unknown): void {
  const plain = new PlainRecordReader().read(raw);
  const parsed = securityEventRecordSchema.safeParse(raw);
  if (plain === undefined) return;
  expect(parsed.success).toBe(true);
  if (!parsed.success) return;
  const event = toSnaEvent(parsed.data);
  // Strictly: the same own keys (none present as `undefined`), in the same order, details included.
  expect(plain).toStrictEqual(event);
  expect(Object.keys(plain)).toEqual(Object.keys(event));
  expect(Object.entries(plain.details)).toEqual(Object.entries(event.details));
  expect(Object.getPrototypeOf(plain.details)).toBe(Object.getPrototypeOf(event.details));
}

describe('reading plain security-event records without zod', () => {
  it('reads a documented record as the schema does', () => {
    const plain = new PlainRecordReader().read(valid);
    expect(plain).toBeDefined();
    sameAsSchema(valid);
  });

  it.each([
    [[{ key: '__proto__', value: 'x' }]],
    [
      [
        { key: 'points', value: '7' },
        { key: '9', value: 1.5 },
        { key: 'points', value: ' 12 ' },
        { key: '1', value: null },
      ],
    ],
    [[{ key: 'points', value: '1e3' }]],
    [null],
  ])('reads details %j as the schema and toSnaEvent do', (details) => {
    expect(new PlainRecordReader().read({ ...valid, details })).toBeDefined();
    sameAsSchema({ ...valid, details });
  });

  it('never reads a record the schema refuses, nor reads one differently', () => {
    const change = fc.record({
      path: fc.constantFrom(...PATHS),
      value: fc.oneof(edgy, fc.jsonValue()),
      drop: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (changes) => sameAsSchema(mutated(changes))),
      { seed: FC_SEED, numRuns: 3000 },
    );
  });

  it('leaves anything that is not a record object to the schema', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), edgy), (raw) => sameAsSchema(raw)),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});
