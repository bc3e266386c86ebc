/**
 * The relay's error shape, as Cisco's relay modules answer it (tr-05-serverless-* `api/errors.py`):
 * `{"errors": [{"code": …, "message": …, "type": "fatal"}]}`. Never a stack, never a token.
 */
import { isUpstreamError } from '../../integrations/http.js';
import { describeUpstreamError } from '../errors.js';

/** Codes as Cisco's modules spell them (`AUTH_ERROR`, `INVALID_ARGUMENT`, `HEALTH_CHECK_ERROR`, …). */
export type RelayErrorCode =
  | 'authorization error'
  | 'invalid argument'
  | 'health check failed'
  | 'invalid request'
  | 'refused'
  | 'not found'
  | 'unknown';

export interface RelayErrorEntry {
  code: RelayErrorCode;
  message: string;
  type: 'fatal' | 'warning';
}

/** A relay call that fails: its HTTP status (in `standard` mode) and what XDR is told. */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly code: RelayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RelayError';
  }

  get entry(): RelayErrorEntry {
    return { code: this.code, message: this.message, type: 'fatal' };
  }
}

/** An authorization failure, worded as Cisco's modules word it ("Authorization failed: …"). */
export function authError(reason: string): RelayError {
  return new RelayError(401, 'authorization error', `Authorization failed: ${reason}`);
}

export function invalidArgument(reason: string): RelayError {
  return new RelayError(400, 'invalid argument', `Invalid JSON payload received. ${reason}`);
}

/** What a caller may read about a failure: the upstream's name and status, never an internal detail. */
export function safeReason(err: unknown): string {
  return isUpstreamError(err) ? describeUpstreamError(err) : 'internal error (the bot logged it)';
}
