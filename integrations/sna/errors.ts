/** SNA-specific errors, on top of the shared taxonomy in `../http.ts`. None carries credentials. */
import { ApiError, redactUrl } from '../http.js';

/**
 * The SMC refused the login. Still an {@link ApiError} (same status, same `transient` rule), with a
 * message that says what happened in words an operator can act on.
 */
export class SnaLoginError extends ApiError {
  constructor(opts: { status: number; url: string; username: string; retryAfterSeconds?: number | undefined }) {
    super({
      service: 'sna',
      status: opts.status,
      method: 'POST',
      url: opts.url,
      retryAfterSeconds: opts.retryAfterSeconds,
    });
    this.name = 'SnaLoginError';
    this.message =
      opts.status === 401 || opts.status === 403
        ? `the SMC rejected the credentials of user "${opts.username}" (${opts.status} to ${this.endpoint})`
        : `the SMC login of user "${opts.username}" failed (${opts.status} to ${this.endpoint})`;
  }
}

/** A configured tenant or event type does not exist on the SMC. A configuration problem, not transient. */
export class SnaLookupError extends Error {
  readonly code = 'sna_lookup_error';
  readonly service = 'sna';
  /** The specs that matched nothing, as given. */
  readonly unknown: string[];

  constructor(message: string, unknown: string[]) {
    super(message);
    this.name = 'SnaLookupError';
    this.unknown = unknown;
  }

  get transient(): boolean {
    return false;
  }
}

/** The SMC reported a security-events search job as `FAILED`. Starting a new query may succeed. */
export class SnaQueryFailedError extends Error {
  readonly code = 'sna_query_failed';
  readonly service = 'sna';
  readonly endpoint: string;
  readonly jobId: string;

  constructor(opts: { url: string; jobId: string }) {
    const endpoint = `GET ${redactUrl(opts.url)}`;
    super(`sna reported search job ${opts.jobId} as FAILED at ${endpoint}`);
    this.name = 'SnaQueryFailedError';
    this.endpoint = endpoint;
    this.jobId = opts.jobId;
  }

  get transient(): boolean {
    return true;
  }
}
