/**
 * What counts as new activity on an incident a digest named: what changed since the digest showed
 * it. New activity earns the incident a card of its own (see the event pipeline's digest follow-up).
 *
 * Counted: a new SNA event (which is also how points crossing SNA_MIN_POINTS show: an event held
 * back under the threshold joins the incident once it is reported at or above it), a higher
 * severity band, a new peer. Not counted: more hits or a later last-active time on events the
 * digest already counted (the same event, still going on).
 */
import { SEVERITY_RANK, severityLabel } from '../../cards/common.js';
import { formatCount } from '../../cards/format.js';
import { severityFor } from './severity.js';
import type { Incident } from './types.js';

/** The changes since the digest, in words ("2 new events", "severity now HIGH", "1 new peer"); empty for none. */
export function activitySinceDigest(incident: Incident): string[] {
  const mark = incident.digest;
  // Named by an older version's digest, which kept no baseline: any change is news.
  if (mark === undefined) return ['new activity since the digest'];
  const changes: string[] = [];
  const events = incident.eventCount - mark.eventCount;
  if (events > 0) changes.push(formatCount(events, 'new event'));
  const severity = severityFor(incident.points);
  if (SEVERITY_RANK[severity] > SEVERITY_RANK[mark.severity]) {
    changes.push(`severity now ${severityLabel(severity)} (was ${severityLabel(mark.severity)})`);
  }
  const peers = incident.peerCount - mark.peerCount;
  if (peers > 0) changes.push(formatCount(peers, 'new peer'));
  return changes;
}
