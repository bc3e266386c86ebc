/**
 * Transport types and the error taxonomy shared by every integration client.
 *
 * Clients take an injected `fetch` (the global one by default) and turn every
 * failure into one of three errors. None of them carries credentials: URLs are
 * redacted, request headers and bodies are never kept.
 */
import type { z } from 'zod';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type ServiceName = 'sna' | 'webex' | 'xdr' | 'umbrella' | 'secure-endpoint' | 'virustotal';

const SECRET_QUERY = /([?&](?:access_token|token|password|client_secret|apikey|api_key|key)=)[^&#]*/gi;

/** Removes credentials that may sit in a URL's query or userinfo. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/, '//[REDACTED]@').replace(SECRET_QUERY, '$1[REDACTED]');
}

/** The service answered with a non-2xx status. */
export class ApiError extends Error {
  readonly code = 'api_error';
  readonly service: ServiceName;
  readonly status: number;
  readonly endpoint: string;
  /** Seconds to wait before retrying, from `Retry-After`, when the service sent it. */
  readonly retryAfterSeconds: number | undefined;
  /** A short, redacted excerpt of the response body for logs. */
  readonly detail: string | undefined;

  constructor(opts: {
    service: ServiceName;
    status: number;
    method: string;
    url: string;
    retryAfterSeconds?: number | undefined;
    detail?: string | undefined;
  }) {
    const endpoint = `${opts.method} ${redactUrl(opts.url)}`;
    super(`${opts.service} answered ${opts.status} to ${endpoint}`);
    this.name = 'ApiError';
    this.service = opts.service;
    this.status = opts.status;
    this.endpoint = endpoint;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.detail = opts.detail;
  }

  get transient(): boolean {
    return this.status === 429 || this.status === 423 || this.status >= 500;
  }
}

/** The service could not be reached, or did not answer in time. */
export class NetworkError extends Error {
  readonly code = 'network_error';
  readonly service: ServiceName;
  readonly endpoint: string;
  readonly timedOut: boolean;

  constructor(opts: { service: ServiceName; method: string; url: string; cause: unknown; timedOut?: boolean }) {
    const endpoint = `${opts.method} ${redactUrl(opts.url)}`;
    const reason = opts.timedOut ? 'timed out' : describeCause(opts.cause);
    super(`${opts.service} unreachable (${reason}) at ${endpoint}`);
    this.name = 'NetworkError';
    this.service = opts.service;
    this.endpoint = endpoint;
    this.timedOut = opts.timedOut ?? false;
  }

  get transient(): boolean {
    return true;
  }
}

/** The service answered 2xx with a body that does not match its documented shape. */
export class WireError extends Error {
  readonly code = 'wire_error';
  readonly service: ServiceName;
  readonly endpoint: string;
  readonly issues: string[];

  constructor(opts: { service: ServiceName; method: string; url: string; issues: string[] }) {
    const endpoint = `${opts.method} ${redactUrl(opts.url)}`;
    super(`${opts.service} sent an unexpected response to ${endpoint}: ${opts.issues.slice(0, 3).join('; ')}`);
    this.name = 'WireError';
    this.service = opts.service;
    this.endpoint = endpoint;
    this.issues = opts.issues;
  }

  get transient(): boolean {
    return false;
  }
}

export type UpstreamError = ApiError | NetworkError | WireError;

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof ApiError || err instanceof NetworkError || err instanceof WireError;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: { code?: string } }).cause;
    if (inner && typeof inner.code === 'string') return inner.code;
    return cause.message;
  }
  return String(cause);
}

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

/** Reads a short excerpt of an error body for logs; never throws. */
export async function bodyExcerpt(res: Response, max = 300): Promise<string | undefined> {
  try {
    const text = await res.text();
    if (!text) return undefined;
    return text.length > max ? `${text.slice(0, max)}…` : text;
  } catch {
    return undefined;
  }
}
