import { describe, expect, it } from 'vitest';
import { toQueryTime, toUtcIso } from '../../../integrations/sna/time.js';

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
