/**
 * The framework looks up the person behind every message and every card press
 * (`GET /people?id=…`, twice per message) before it hands them to us: who they are decides what
 * they may do. The same few responders press and ask all day, so each lookup is kept a few
 * minutes: a second press by the same person costs no lookup. Only answers are kept (a failed
 * lookup is tried again next time), at most {@link MAX_CACHED_PEOPLE} people, oldest out first.
 * A renamed person shows the old name on cards until the entry expires.
 */
import type { FrameworkLike } from './framework.js';

/** How long one lookup of a person is reused. */
export const PERSON_LOOKUP_TTL_MS = 5 * 60_000;
const MAX_CACHED_PEOPLE = 1000;

type Lookup = (person: unknown) => Promise<unknown>;

/**
 * Wraps the SDK's `people.get` (once `framework.start()` has created the SDK). Lookups of `me` and
 * by anything but an id pass through. Returns false when the SDK has no `people.get` (nothing changed).
 */
export function cachePeopleLookups(
  framework: FrameworkLike,
  { ttlMs = PERSON_LOOKUP_TTL_MS, now = Date.now }: { ttlMs?: number; now?: () => number } = {},
): boolean {
  const sdk = framework.getWebexSDK?.();
  const people = isRecord(sdk) ? sdk.people : undefined;
  if (!isRecord(people) || typeof people.get !== 'function') return false;
  const lookup = (people.get as Lookup).bind(people);
  const cache = new Map<string, { at: number; person: Promise<unknown> }>();
  const cached: Lookup = (person) => {
    if (typeof person !== 'string' || person === '' || person === 'me') return lookup(person);
    const hit = cache.get(person);
    if (hit && now() - hit.at < ttlMs) return hit.person;
    cache.delete(person);
    if (cache.size >= MAX_CACHED_PEOPLE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    const entry = { at: now(), person: lookup(person) };
    cache.set(person, entry);
    // Only answers are kept; the caller handles the rejection itself.
    entry.person.catch(() => {
      if (cache.get(person) === entry) cache.delete(person);
    });
    return entry.person;
  };
  people.get = cached;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
