/**
 * The one place that decides what a person is told when something fails, and what is logged.
 */
import { randomBytes } from 'node:crypto';
import {
  ApiError,
  isUpstreamError,
  JobFailedError,
  LookupError,
  NetworkError,
  WireError,
} from '../integrations/errors.js';
import type { Logger } from './log.js';

/** A problem with what the user typed or pressed; its message is safe and meant for them. */
export class UserInputError extends Error {
  readonly code = 'user_input';
  /**
   * @param message what the person is told: markdown, with anything they typed already escaped.
   * @param detail the same in plain words for the audit trail (escaped when it is shown).
   */
  constructor(
    message: string,
    readonly detail = message,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** Raised when the bot cannot post because it is not (yet) a member of the target space. */
export class NotInRoomError extends Error {
  readonly code = 'not_in_room';
  constructor(readonly roomId: string) {
    super('the bot is not a member of the alert space (add it to the space, it will deliver what is waiting)');
    this.name = 'NotInRoomError';
  }
}

/** A short reference that ties a chat message to its log line. */
export function newRef(): string {
  return randomBytes(3).toString('hex');
}

/** Logs the failure with its context and returns the sentence to show in the space. */
export function userMessageFor(err: unknown, log: Logger, context: Record<string, unknown>): string {
  if (err instanceof UserInputError) return err.message;
  const ref = newRef();
  log.error({ err, ref, ...context }, 'handler failed');
  if (isUpstreamError(err)) return `That didn't work: ${describeUpstreamError(err)}. Nothing was changed. (ref ${ref})`;
  return `Something went wrong on my side; nothing was changed. (ref ${ref})`;
}

const SERVICE_NAMES: Record<string, string> = {
  sna: 'the SMC',
  webex: 'Webex',
  xdr: 'Cisco XDR',
  umbrella: 'Umbrella',
  'secure-endpoint': 'Secure Endpoint',
  virustotal: 'VirusTotal',
};

/** One short line, safe for chat and logs, saying what went wrong upstream. */
export function describeUpstreamError(err: unknown): string {
  if (err instanceof ApiError) {
    const who = SERVICE_NAMES[err.service] ?? err.service;
    if (err.status === 401 || err.status === 403) return `${who} refused our credentials (${err.status})`;
    if (err.status === 429) return `${who} is rate limiting us (429)`;
    if (err.status >= 500) return `${who} had an internal error (${err.status})`;
    return `${who} answered ${err.status}`;
  }
  if (err instanceof NetworkError) {
    const who = SERVICE_NAMES[err.service] ?? err.service;
    return err.timedOut ? `${who} did not answer in time` : `${who} is unreachable`;
  }
  if (err instanceof WireError)
    return `${SERVICE_NAMES[err.service] ?? err.service} sent a response we do not understand`;
  // Named for the service, never with internal URLs or a raw error message.
  if (err instanceof JobFailedError)
    return `${SERVICE_NAMES[err.service] ?? err.service} reported its search as failed`;
  if (err instanceof LookupError) return err.message.split('\n')[0] ?? 'a configured name was not found';
  return 'unexpected error (see the log)';
}
