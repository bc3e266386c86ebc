/**
 * The error taxonomy shared by every integration client. None carries credentials: URLs are
 * redacted, request headers and bodies are never kept, response excerpts are scrubbed by the
 * exchange (`./http.ts`) before they get here.
 */
import type { ServiceName } from './http.js';

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

  /** The service asked to slow down: 429, or 423 which Webex sends with `Retry-After` too. */
  get rateLimited(): boolean {
    return this.status === 429 || this.status === 423;
  }

  get transient(): boolean {
    return this.rateLimited || this.status >= 500;
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

/**
 * A configured name or id (an SMC tenant, a security-event type) does not exist on the service.
 * A configuration problem, not transient.
 */
export class LookupError extends Error {
  readonly code = 'lookup_error';
  readonly service: ServiceName;
  /** The specs that matched nothing, as given. */
  readonly unknown: string[];

  constructor(opts: { service: ServiceName; message: string; unknown: string[] }) {
    super(opts.message);
    this.name = 'LookupError';
    this.service = opts.service;
    this.unknown = opts.unknown;
  }

  get transient(): boolean {
    return false;
  }
}

/** The service ran an asynchronous job (an SMC search) and reported it as failed. Starting anew may succeed. */
export class JobFailedError extends Error {
  readonly code = 'job_failed';
  readonly service: ServiceName;
  readonly endpoint: string;
  readonly jobId: string;

  constructor(opts: { service: ServiceName; url: string; jobId: string }) {
    const endpoint = `GET ${redactUrl(opts.url)}`;
    super(`${opts.service} reported job ${opts.jobId} as FAILED at ${endpoint}`);
    this.name = 'JobFailedError';
    this.service = opts.service;
    this.endpoint = endpoint;
    this.jobId = opts.jobId;
  }

  get transient(): boolean {
    return true;
  }
}
