/**
 * Removes expired state entries now and then (see `StateStore.sweepExpired`): soon after start,
 * then every hour. A failed sweep is logged and tried again at the next one.
 */
import type { Logger } from '../log.js';
import type { StateStore } from './store.js';

export function startSweeper(
  state: Pick<StateStore, 'sweepExpired'>,
  log: Logger,
  { firstMs = 60_000, everyMs = 3_600_000 }: { firstMs?: number; everyMs?: number } = {},
): { stop(): void } {
  const sweep = async () => {
    try {
      const removed = await state.sweepExpired();
      if (removed > 0) log.info({ removed }, 'removed expired state entries');
    } catch (err) {
      log.warn({ err }, 'could not remove expired state entries; trying again later');
    }
  };
  const first = setTimeout(() => void sweep(), firstMs);
  const timer = setInterval(() => void sweep(), everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
