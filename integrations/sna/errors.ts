/** The SNA-specific error, on top of the shared taxonomy in `../errors.ts`. It carries no credential. */
import { ApiError } from '../errors.js';

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
