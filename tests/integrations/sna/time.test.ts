import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toQueryTime, toUtcIso } from '../../../integrations/sna/time.js';
import { FC_SEED } from '../../fuzz/arbitraries.js';

describe('toUtcIso', () => {
  it.each([
    ['2021-02-04T13:20:38.000+0000', '2021-02-04T13:20:38.000Z'],
    ['2021-02-04T13:20:38.000+00:00', '2021-02-04T13:20:38.000Z'],
    ['2021-02-04T13:20:38.000Z', '2021-02-04T13:20:38.000Z'],
    ['2021-02-04T13:20:38Z', '2021-02-04T13:20:38.000Z'],
    ['2021-02-04T13:20:38.1+0000', '2021-02-04T13:20:38.100Z'],
    ['2021-02-04T13:20:38.123456+0000', '2021-02-04T13:20:38.123Z'],
    ['2021-02-04T14:20:38.000+0100', '2021-02-04T13:20:38.000Z'],
    ['2021-02-04T08:20:38.000-05:00', '2021-02-04T13:20:38.000Z'],
  ])('converts %s to %s', (input, expected) => {
    expect(toUtcIso(input)).toBe(expected);
  });

  it.each(['2021-02-30T13:20:38.000+0000', '2021-02-04T24:00:00Z', '2021-02-04 13:20:38', '1612444838000', ''])(
    'refuses %j',
    (input) => {
      expect(toUtcIso(input)).toBeUndefined();
    },
  );
});

describe('toUtcIso on the form SMCs send', () => {
  /** What a `Date` round trip says of `YYYY-MM-DDTHH:mm:ss.SSS` + a UTC offset: the instant, or none. */
  function byDate(value: string): string | undefined {
    const iso = `${value.slice(0, 23)}Z`;
    const date = new Date(iso);
    return !Number.isNaN(date.getTime()) && date.toISOString() === iso ? iso : undefined;
  }
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  /** Mostly around the valid range (its edges included), sometimes anything two digits hold. */
  const field = (min: number, max: number) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min, max }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) },
    );

  it('accepts exactly the real dates and times, as a Date round trip would', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1999, max: 2101 }), fc.integer({ min: 0, max: 9999 })),
        field(1, 12),
        field(1, 31),
        field(0, 24),
        field(0, 60),
        field(0, 60),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('+0000', '+00:00', 'Z'),
        (y, mo, d, h, mi, s, ms, offset) => {
          const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}${offset}`;
          expect(toUtcIso(value)).toBe(byDate(value));
        },
      ),
      { seed: FC_SEED, numRuns: 5000 },
    );
    for (const leap of [
      '2024-02-29',
      '2000-02-29',
      '0000-02-29',
      '1900-02-29',
      '2023-02-29',
      '2021-04-31',
      '2021-12-31',
    ]) {
      const value = `${leap}T23:59:59.999+0000`;
      expect(toUtcIso(value)).toBe(byDate(value));
    }
  });
});

describe('toQueryTime', () => {
  const date = new Date('2024-06-18T09:00:00.250Z');

  it('formats without milliseconds, widening the window: start rounds down, end rounds up', () => {
    expect(toQueryTime(date, 'down')).toBe('2024-06-18T09:00:00Z');
    expect(toQueryTime(date, 'up')).toBe('2024-06-18T09:00:01Z');
  });

  it('leaves whole seconds unchanged either way', () => {
    const whole = new Date('2024-06-18T09:00:00.000Z');
    expect(toQueryTime(whole, 'up')).toBe('2024-06-18T09:00:00Z');
  });

  it('throws on an invalid date', () => {
    expect(() => toQueryTime(new Date(Number.NaN), 'down')).toThrow(RangeError);
  });
});
