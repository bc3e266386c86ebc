/**
 * What a new incident's card waits for before its first post: the hooks that add to it (the peer's
 * verdict, top talkers), for at most a short hold. A hook that knows its answer will come later
 * (its flow query waits behind the minute's budget, say) releases the card at once instead of
 * making it wait out the hold. Whatever a hook adds after the card stopped waiting gets the card
 * updated then (queued once; the outbox coalesces and replaces the card, never posts a second one).
 */
import type { Incident } from '../incidents/types.js';
import type { Logger } from '../log.js';

/**
 * The longest a new card waits for its hooks by default (ALERT_HOLD_MS): quick verdicts (a cache
 * hit, a lookup of a few hundred milliseconds) make the first post, and a pushed alarm whose hooks
 * run late is still posted within the push path's 1 s target.
 */
export const DEFAULT_ALERT_HOLD_MS = 800;

/** Handed to each hook with its incident. */
export interface CardHold {
  /** How much longer the card waits (the bot's clock); 0 once it stopped waiting. */
  remainingMs(): number;
  /** The card need not wait for this hook: its answer comes later and updates the card then. */
  release(): void;
}

/** Adds to an incident before its card is posted; resolves true when it changed the incident. */
export type AlertHook = (incident: Incident, hold: CardHold) => Promise<boolean>;

export interface HoldOptions {
  hooks: readonly AlertHook[];
  /** The longest the cards wait for hooks that did not release them. */
  holdMs: number;
  now: () => Date;
  /** Queues the card of an incident that a hook changed after the card stopped waiting. */
  update: (incidentId: string) => Promise<void>;
  log: Logger;
}

/**
 * Runs every hook for every incident and resolves when each has answered or released its card, or
 * after `holdMs`, whichever is first. Hooks still running go on; those that change their incident
 * later have its card queued again through `update`.
 */
export async function holdForHooks(incidents: readonly Incident[], opts: HoldOptions): Promise<void> {
  if (opts.hooks.length === 0 || incidents.length === 0) return;
  const until = opts.now().getTime() + opts.holdMs;
  let waiting = true;
  const remainingMs = () => (waiting ? Math.max(0, until - opts.now().getTime()) : 0);
  const runs = incidents.flatMap((incident) =>
    opts.hooks.map((hook) => {
      let release = (): void => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const done = run(hook, incident, { remainingMs, release }, opts.log).then((changed) => {
        // Read when the hook is done: still waiting means the card is not queued yet and shows it.
        if (!changed || waiting) return;
        return opts.update(incident.id).catch((err: unknown) => {
          opts.log.warn({ err, incidentId: incident.id }, 'could not queue the update of an alert card');
        });
      });
      return Promise.race([done, released]);
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const held = new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.holdMs)));
  await Promise.race([Promise.all(runs), held]);
  clearTimeout(timer);
  waiting = false;
}

async function run(hook: AlertHook, incident: Incident, hold: CardHold, log: Logger): Promise<boolean> {
  try {
    return await hook(incident, hold);
  } catch (err) {
    log.warn({ err, incidentId: incident.id }, 'a hook of a new alert card failed');
    return false;
  }
}
