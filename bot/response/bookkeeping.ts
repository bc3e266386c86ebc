/**
 * What happens after an upstream change succeeded (a judgement created, a host group written):
 * the audit entry, the incident and its card. These are bookkeeping: a failure here must never
 * turn into "nothing was changed", because something was. Each step is tried at once; a step
 * that fails is logged and retried in the background until it lands (or for about ten minutes),
 * and the caller learns whether everything was recorded, to tell the person the truth.
 */
import type { Logger } from '../log.js';

export interface BookkeepingStep {
  /** For logs: `audit`, `incident card`. */
  what: string;
  /** Must be safe to run again (the audit dedupes by key; card updates are idempotent). */
  run: () => Promise<unknown>;
}

const RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 60_000, 180_000, 300_000];

/** Runs every step; resolves true when all landed now, false when some are left to background retries. */
export async function recordAfterChange(log: Logger, steps: readonly BookkeepingStep[]): Promise<boolean> {
  let allRecorded = true;
  for (const step of steps) {
    try {
      await step.run();
    } catch (err) {
      allRecorded = false;
      log.error({ err, step: step.what }, 'could not record an upstream change yet; retrying in the background');
      retryLater(log, step, 0);
    }
  }
  return allRecorded;
}

function retryLater(log: Logger, step: BookkeepingStep, attempt: number): void {
  const delay = RETRY_DELAYS_MS[attempt];
  if (delay === undefined) {
    log.error({ step: step.what }, 'gave up recording an upstream change; the upstream change stands');
    return;
  }
  const timer = setTimeout(() => {
    step.run().then(
      () => log.info({ step: step.what, attempt: attempt + 1 }, 'recorded an upstream change after a retry'),
      () => retryLater(log, step, attempt + 1),
    );
  }, delay);
  timer.unref();
}

/** What to add to an answer when the bookkeeping of a change that happened is still pending. */
export const NOT_YET_RECORDED =
  ' (I could not record all of it yet — the audit trail or the card may lag; I keep trying. The change itself is done.)';
