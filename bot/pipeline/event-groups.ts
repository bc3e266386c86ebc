/**
 * Two per-event steps of a batch, made cheap for a burst of 100,000 events: grouping by incident
 * (host and event type) and the future-dated check.
 */
import type { IncidentEvent } from '../incidents/store.js';

/** Events by (source host, event type), as `incidentGroupKey` groups them, without a key text per event. */
export interface EventGroups {
  add(event: IncidentEvent): void;
  /** The groups, each in the order its events were added, in the order their first events were. */
  readonly list: IncidentEvent[][];
}

export function eventGroups(): EventGroups {
  const byType = new Map<number, Map<string, IncidentEvent[]>>();
  const list: IncidentEvent[][] = [];
  return {
    list,
    add(event) {
      let byHost = byType.get(event.typeId);
      if (!byHost) {
        byHost = new Map();
        byType.set(event.typeId, byHost);
      }
      const group = byHost.get(event.source.ip);
      if (group) {
        group.push(event);
        return;
      }
      const made = [event];
      byHost.set(event.source.ip, made);
      list.push(made);
    },
  };
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: what `toISOString` gives for years 0 to 9999. */
const ISO_LENGTH = 24;

/**
 * Whether an event time (ISO-8601 UTC, as `toISOString` or the SNA client's `toUtcIso` write it)
 * is later than `bound`. Two times of the 24-character form compare as text, in the order of
 * their instants (fixed-width fields, most significant first); any other (a year past 9999, or a
 * text that is no time, which is never later) is read by `Date.parse`.
 */
export function laterThan(bound: Date): (iso: string) => boolean {
  const boundMs = bound.getTime();
  const boundIso = bound.toISOString();
  const comparable = boundIso.length === ISO_LENGTH;
  return (iso) =>
    comparable && iso.length === ISO_LENGTH && isIsoShape(iso) ? iso > boundIso : Date.parse(iso) > boundMs;
}

/** The separators of `YYYY-MM-DDTHH:mm:ss.sssZ` are where they belong (the digits are the producers' word). */
function isIsoShape(iso: string): boolean {
  return (
    iso.charCodeAt(4) === 0x2d &&
    iso.charCodeAt(10) === 0x54 &&
    iso.charCodeAt(19) === 0x2e &&
    iso.charCodeAt(23) === 0x5a
  );
}
