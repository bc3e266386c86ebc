/**
 * Reading what services send: JSON validated against zod wire schemas (issues name fields, never
 * values), vendors' error envelopes, 64-bit integers kept exact, `Retry-After` and rate-limit
 * headers, and the base URLs clients are built with.
 */
import type { z } from 'zod';
import { WireError } from './errors.js';
import type { ServiceName } from './http.js';

/** Seconds with a unit suffix, as XDR documents it: `"3172s"` (also `3172 sec`, `3172 seconds`). */
const SECONDS_WITH_UNIT = /^(\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?$/i;

/**
 * Parses a `Retry-After` header given in seconds (`120`, or XDR's lenient `3172s`) or as an HTTP date.
 * Returns whole-or-fractional seconds from `now`, never negative, or `undefined` when unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const withUnit = SECONDS_WITH_UNIT.exec(trimmed);
  if (withUnit) return Number(withUnit[1]);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * A service base URL, checked once at construction: http(s), without credentials, query or
 * fragment (credentials go in headers, where errors never show them). Trailing slashes removed.
 * @param what names the setting in the TypeError, e.g. `"SNA base URL"`.
 */
export function checkBaseUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${what} must be http(s)`);
  if (url.username || url.password) throw new TypeError(`${what} must not carry credentials`);
  if (url.search || url.hash) throw new TypeError(`${what} must not have a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}

/** A non-negative number from a header (`X-RateLimit-*`), or `undefined`. */
export function headerCount(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(?:\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Validates a parsed body against a zod schema, throwing a WireError listing the mismatches. */
export function parseWire<S extends z.ZodType>(
  schema: S,
  body: unknown,
  ctx: { service: ServiceName; method: string; url: string },
): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new WireError({ ...ctx, issues: wireIssues(result.error.issues) });
}

/** Zod issues as `path.to.field: problem` lines (never the values), under `prefix` when given. */
export function wireIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix: ReadonlyArray<PropertyKey> = [],
): string[] {
  return issues.map((i) => `${[...prefix, ...i.path].map(String).join('.') || '(root)'}: ${i.message}`);
}

/** An error body read with `schema` (a vendor's error envelope), or `undefined` when it is not one. */
export function errorBody<S extends z.ZodType>(text: string, schema: S): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `JSON.parse` that keeps the integers of the named keys exact, as strings, when they do not fit a
 * double (Secure Endpoint's 64-bit event ids: 6533241145273614339 would read 6533241145273614000).
 * Only keys of objects are matched: inside a JSON string every `"` is escaped, so a `"id":` that
 * follows `{` or `,` is always a key.
 */
export function parseJsonKeepingBigIntegers(text: string, keys: readonly string[]): unknown {
  const names = keys.map((k) => k.replace(/[^A-Za-z0-9_]/g, '')).join('|');
  const pattern = new RegExp(`([{,]\\s*"(?:${names})"\\s*:\\s*)(-?\\d{16,})(?=\\s*[,}])`, 'g');
  return JSON.parse(
    text.replace(pattern, (match, prefix: string, digits: string) =>
      Number.isSafeInteger(Number(digits)) ? match : `${prefix}"${digits}"`,
    ),
  );
}
