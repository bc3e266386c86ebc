/** Timestamp conversions between our `Date`/ISO values and the SMC's formats. */

const SMC_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:\+0000|\+00:00|Z)$/;
const ISO_LENGTH = '2021-02-04T13:20:38.000Z'.length;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const SMC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Converts an SMC timestamp such as `2021-02-04T13:20:38.000+0000` to ISO-8601 UTC
 * (`2021-02-04T13:20:38.000Z`). Also accepts `+00:00`, `Z`, other offsets and no fraction.
 * Returns `undefined` when the value is not such a timestamp or names an impossible date.
 */
export function toUtcIso(value: string): string | undefined {
  // The form SMCs send (`…:38.000+0000`) on a fast path: a burst converts 200,000 of them. The
  // fields are checked as numbers (an impossible date such as Feb 30, which `Date` would roll over,
  // is refused) and the offset is replaced by `Z`.
  if (SMC_UTC_MILLIS.test(value)) {
    if (!plausibleFields(value)) return undefined;
    return value.length === ISO_LENGTH ? value : flatIso(value);
  }
  const match = SMC_TIMESTAMP.exec(value);
  if (!match) return undefined;
  const [, date, time, fraction = '', offset = 'Z'] = match;
  // `Date.parse` rejects `+0000` outside V8's lenient mode, so give it `+00:00`.
  const isoOffset = offset === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  // `new Date('2021-02-30…')` rolls over to March instead of failing: a round trip exposes that.
  const fields = new Date(`${date}T${time}Z`);
  if (Number.isNaN(fields.getTime()) || fields.toISOString().slice(0, 19) !== `${date}T${time}`) return undefined;
  const parsed = new Date(`${date}T${time}.${millis}${isoOffset}`);
  if (Number.isNaN(parsed.getTime())) return undefined;
  return parsed.toISOString();
}

/** Reused by {@link flatIso}: its first slot is set, joined and cleared again. */
const ISO_PIECES: [string, string] = ['', 'Z'];

/**
 * `YYYY-MM-DDTHH:mm:ss.sss` of `value` + `Z`, as one flat string of 24 characters (40 bytes).
 * Concatenation (`+`, a template, `replace`) gives V8 a rope instead: a 32-byte node over a
 * slice of `value`, which keeps all of `value` (48 bytes more) alive for as long as the time is
 * kept, and a burst keeps 200,000 of them. `Array.prototype.join` copies its pieces into one
 * new string.
 */
function flatIso(value: string): string {
  ISO_PIECES[0] = value.slice(0, ISO_LENGTH - 1);
  const iso = ISO_PIECES.join('');
  ISO_PIECES[0] = '';
  return iso;
}

/**
 * Formats a query bound as the SMC wants it: `YYYY-MM-DDTHH:mm:ssZ`, without milliseconds.
 * `round: 'down'` for a window's start and `'up'` for its end, so truncation never narrows it.
 */
export function toQueryTime(date: Date, round: 'down' | 'up'): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date in SNA query time range');
  const seconds = round === 'down' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Month, day, hour, minute and second of a `YYYY-MM-DDTHH:mm:ss…` string name a real moment. */
function plausibleFields(value: string): boolean {
  const at = (from: number, to: number) => {
    let n = 0;
    for (let i = from; i < to; i += 1) n = n * 10 + value.charCodeAt(i) - 48;
    return n;
  };
  const year = at(0, 4);
  const month = at(5, 7);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  const day = at(8, 10);
  return day >= 1 && day <= days && at(11, 13) <= 23 && at(14, 16) <= 59 && at(17, 19) <= 59;
}
