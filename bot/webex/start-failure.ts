/**
 * Why the bot could not connect to Webex, in words an operator can act on. Built from the status
 * code or the websocket close code only: nothing of the SDK's error (its request options hold
 * the token) is carried over.
 */

/** A start-up failure with a message fit for the log and the terminal. */
export class WebexStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebexStartError';
  }
}

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** The error to report when `framework.start()` failed (or timed out) in `mode`. */
export function webexStartFailure(err: unknown, mode: 'webhook' | 'websocket'): WebexStartError {
  const status = Number(field(err, 'statusCode'));
  if (status === 401) {
    return new WebexStartError(
      'Webex refused WEBEX_BOT_TOKEN (401 Unauthorized): set it to the bot access token shown on developer.webex.com (a new one is issued when it is regenerated)',
    );
  }
  if (status === 403) {
    return new WebexStartError('Webex refused the bot (403 Forbidden): the token is valid but may not use this API');
  }
  if (Number.isInteger(status) && status > 0) {
    return new WebexStartError(`Webex answered ${status} while the bot was connecting; try again later`);
  }
  // Refused before it opened with a close code the SDK treats as final (4400, 4403): it aborts
  // its retries and rejects with this bare error, the code itself lost.
  if (mode === 'websocket' && err instanceof Error && err.message === 'Mercury Connection Aborted') {
    return new WebexStartError(
      "Webex refused the bot's event websocket and the SDK will not retry: check WEBEX_BOT_TOKEN and that outbound websockets to Webex are allowed",
    );
  }
  const code = Number(field(err, 'code'));
  if (mode === 'websocket' && Number.isInteger(code) && code >= 1000) {
    return new WebexStartError(
      `Webex closed the event websocket while the bot was connecting (close code ${code}): check WEBEX_BOT_TOKEN and that outbound websockets to Webex are allowed`,
    );
  }
  const what = mode === 'websocket' ? 'register a device and open the event websocket' : 'connect';
  const detail = err instanceof Error && err.message ? `: ${err.message.split('\n')[0] ?? ''}` : '';
  return new WebexStartError(`the bot could not ${what} with Webex${detail}`);
}

/** Resolves with `work`, or rejects after `ms` with `onTimeout()`'s error. */
export async function withTimeout<T>(work: PromiseLike<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
