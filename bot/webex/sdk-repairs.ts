/**
 * Repairs to the Webex SDK (webex 2.4.2) under webex-node-bot-framework 2.3.14, applied to the SDK
 * instance once `framework.start()` has created it and before any event is handled. The framework
 * has no options for any of these; each repair checks the shape it changes and reports when it
 * could not be applied (another SDK version), changing nothing then.
 */
import { ApiError } from '../../integrations/http.js';
import type { Logger } from '../log.js';
import type { FrameworkLike } from './framework.js';
import { sleep as defaultSleep, withRetry } from '../../integrations/retry.js';
import { fromSdkError, WEBEX_RETRY } from './sdk-errors.js';

/** Told of each failed fetch of an incoming message or press, and whether it is retried. */
export type IncomingFetchFailure = (kind: 'message' | 'press', outcome: 'retried' | 'dropped') => void;

/** Applies every repair; logs a warning for each one the SDK did not allow. */
export function repairSdk(
  framework: FrameworkLike,
  log: Logger,
  onFetchFailure: IncomingFetchFailure = () => {},
): void {
  if (!shortenPeopleLookupBatching(framework)) {
    log.warn('the Webex SDK has no people batcher setting: each message and press waits for its person lookup');
  }
  if (!repairPeopleLookupErrors(framework)) {
    log.warn('the Webex SDK has no people batcher to repair: a failed person lookup may silence that person');
  }
  if (!retryIncomingFetches(framework, log, onFetchFailure)) {
    log.warn('the Webex SDK has no messages.get/attachmentActions.get to wrap: a 429 on them drops the event');
  }
}

/** Milliseconds the SDK waits to batch person lookups once we have shortened it (its default is 100). */
export const PEOPLE_LOOKUP_BATCH_MS = 1;

/**
 * The framework looks up the person behind every message (twice, one after the other) and every
 * card press before it hands them to us, through the SDK's people batcher, which waits
 * `config.people.batcherWait` (100 ms in webex 2.4.2) for more lookups to batch. That wait was most
 * of a press's latency and 200 ms of every command's. The framework has no option for it, so it is
 * set on the SDK's own config after `start()` created the SDK, before any event is handled (the
 * batcher reads the value when it first batches). Lookups made in the same tick are still batched.
 * Returns false when the SDK has no such setting (another SDK version): nothing is changed then.
 */
export function shortenPeopleLookupBatching(framework: FrameworkLike, waitMs = PEOPLE_LOOKUP_BATCH_MS): boolean {
  const sdk = framework.getWebexSDK?.();
  const people = isRecord(sdk) && isRecord(sdk.config) ? sdk.config.people : undefined;
  if (!isRecord(people) || typeof people.batcherWait !== 'number') return false;
  people.batcherWait = waitMs;
  return true;
}

interface Deferred {
  reject(reason: unknown): void;
  /** The batcher's own chain on the lookup (it re-rejects, and nothing else listens to it). */
  promise?: { catch?: (handler: () => void) => unknown };
}

interface PeopleBatcher {
  handleHttpError(reason: unknown): Promise<unknown>;
  getDeferredForRequest(id: string): Promise<Deferred>;
}

/**
 * webex 2.4.2's people batcher answers an HTTP error on `GET /people/?id=…` (a 500, a 429) by
 * settling nothing: its handler only looks for ids in a request *body*, and this lookup is a GET.
 * The lookups stay pending and stay in the batcher's table, so every later event from those
 * people waits on them: they were never heard again until a restart. This rejects them instead,
 * with the HTTP error: the framework drops the event in hand, and the next event from the same
 * person is looked up afresh. Returns false when the SDK has no such batcher (nothing changed).
 */
export function repairPeopleLookupErrors(framework: FrameworkLike): boolean {
  const sdk = framework.getWebexSDK?.();
  const people = isRecord(sdk) ? sdk.people : undefined;
  const batcher = isRecord(people) ? people.batcher : undefined;
  if (!isPeopleBatcher(batcher)) return false;
  const original = batcher.handleHttpError.bind(batcher);
  batcher.handleHttpError = (reason: unknown) => {
    const ids = lookedUpIds(reason);
    if (ids.length === 0) return original(reason);
    return Promise.all(
      ids.map((id) =>
        batcher.getDeferredForRequest(id).then(
          (deferred) => {
            // The framework handles the rejection of its own lookup; the batcher's internal
            // chain would otherwise surface as an unhandled rejection.
            deferred.promise?.catch?.(() => undefined);
            deferred.reject(reason);
          },
          () => undefined, // already settled
        ),
      ),
    );
  };
  return true;
}

/** The person ids of a failed `people/?id=A,B&showAllTypes=…` request. */
function lookedUpIds(reason: unknown): string[] {
  const options = isRecord(reason) ? reason.options : undefined;
  const resource = isRecord(options) ? options.resource : undefined;
  if (typeof resource !== 'string' || !resource.startsWith('people/?')) return [];
  const ids = new URLSearchParams(resource.slice('people/?'.length)).get('id');
  return ids ? ids.split(',').filter(Boolean) : [];
}

function isPeopleBatcher(value: unknown): value is PeopleBatcher {
  return (
    isRecord(value) && typeof value.handleHttpError === 'function' && typeof value.getDeferredForRequest === 'function'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Longest total wait for one incoming message or press before it is given up. */
const INCOMING_FETCH_MAX_WAIT_MS = 30_000;
const INCOMING_FETCH_ATTEMPTS = 4;

type Fetch = (id: unknown) => Promise<unknown>;

/**
 * The framework fetches every incoming message (`messages.get`) and press (`attachmentActions.get`)
 * once, and drops the event silently when that fails: a 429 (likely while the bot posts a burst of
 * cards) or a brief 5xx lost the operator's command or tap. These fetches are retried instead:
 * after Retry-After on a 429, after 1 s, 2 s… on a 5xx or network error, within 30 s in all.
 */
export function retryIncomingFetches(
  framework: FrameworkLike,
  log: Logger,
  onFailure: IncomingFetchFailure = () => {},
  sleep: (ms: number) => Promise<void> = defaultSleep,
): boolean {
  const sdk = framework.getWebexSDK?.();
  if (!isRecord(sdk)) return false;
  const targets = [
    { plugin: sdk.messages, resource: 'messages', noun: 'message' as const },
    { plugin: sdk.attachmentActions, resource: 'attachment/actions', noun: 'press' as const },
  ];
  if (!targets.every(({ plugin }) => isRecord(plugin) && typeof plugin.get === 'function')) return false;
  for (const { plugin, resource, noun } of targets) {
    const record = plugin as Record<string, unknown> & { get: Fetch };
    record.get = retrying(record.get.bind(record), { resource, noun, log, sleep, onFailure });
  }
  return true;
}

function retrying(
  fetch: Fetch,
  opts: {
    resource: string;
    noun: 'message' | 'press';
    log: Logger;
    sleep: (ms: number) => Promise<void>;
    onFailure: IncomingFetchFailure;
  },
): Fetch {
  const policy = { ...WEBEX_RETRY, attempts: INCOMING_FETCH_ATTEMPTS, maxTotalWaitMs: INCOMING_FETCH_MAX_WAIT_MS };
  return async (id) => {
    let last: unknown;
    try {
      return await withRetry(
        () =>
          fetch(id).catch((raw: unknown) => {
            last = raw;
            throw raw;
          }),
        policy,
        {
          classify: (raw) => fromSdkError(raw, 'GET', opts.resource),
          onRetry: (err, waitMs) => {
            const status = err instanceof ApiError ? err.status : undefined;
            opts.log.info({ status, waitMs }, `retrying the fetch of an incoming ${opts.noun}`);
            opts.onFailure(opts.noun, 'retried');
          },
          onGiveUp: (err, attempt) => {
            opts.log.warn({ err, attempt }, `could not fetch an incoming ${opts.noun}; the framework drops it`);
            opts.onFailure(opts.noun, 'dropped');
          },
          sleep: opts.sleep,
        },
      );
    } catch {
      // The framework gets the SDK's own error, as without the retry.
      throw last;
    }
  };
}
