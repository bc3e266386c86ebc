/**
 * The one place that decides what a person is told when something fails, and what is logged.
 */
import { randomBytes } from 'node:crypto';
import { isUpstreamError } from '../integrations/http.js';
import type { Logger } from './log.js';
import { describeUpstreamError } from './poller/describe-error.js';

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
