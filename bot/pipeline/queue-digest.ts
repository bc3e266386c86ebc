/**
 * One digest instead of many cards: marks the batch's new incidents as named by it (with what it
 * shows of each, the baseline for new activity), saves the digest and queues its card, then writes
 * the batch. In that order, a crash anywhere replays into the same digest (its id comes from the
 * incidents' ids, which replaying the same events yields again), found saved and queued already.
 */
import type { DigestRow } from '../../cards/types.js';
import { digestIdFor } from '../incidents/digests.js';
import { severityFor } from '../incidents/severity.js';
import type { FoldedBatch, IncidentStore } from '../incidents/store.js';
import type { Incident } from '../incidents/types.js';
import { mapLimit } from '../map-limit.js';
import type { Outbox } from '../outbox/outbox.js';

/** Incidents already stored that are marked digested at once (each under its own lock). */
const CONCURRENCY = 16;

export async function queueDigest(
  opts: { incidents: IncidentStore; outbox: Outbox; now: Date; window: { from: Date; to: Date } },
  named: readonly Incident[],
  batch: FoldedBatch,
): Promise<void> {
  const id = digestIdFor(named.map((i) => i.id));
  const at = opts.now.toISOString();
  const mark = (incident: Incident) => {
    incident.digested = true;
    incident.digest = {
      id,
      at,
      eventCount: incident.eventCount,
      peerCount: incident.peerCount,
      severity: severityFor(incident.points),
    };
  };
  // New incidents are written by `batch.commit()` below, marks included: no extra write each.
  for (const incident of named) if (batch.isUnsaved(incident)) mark(incident);
  await mapLimit(
    named.filter((i) => !batch.isUnsaved(i)),
    CONCURRENCY,
    (incident) =>
      opts.incidents.change(incident.id, (i) => {
        if (i.card !== undefined) return false;
        mark(i);
        return true;
      }),
  );
  await opts.incidents.digests.create(id, {
    incidents: named.map(digestRow),
    window: { from: opts.window.from.toISOString(), to: opts.window.to.toISOString() },
    generatedAt: at,
  });
  await opts.outbox.enqueueDigest(id);
  await batch.commit();
}

function digestRow(incident: Incident): DigestRow {
  return {
    incidentId: incident.id,
    host: incident.hostIp,
    hostGroup: incident.hostGroups[0],
    eventName: incident.eventName,
    severity: severityFor(incident.points),
    points: incident.points,
    peer: incident.peers[0]?.ip,
    otherPeers: Math.max(0, incident.peerCount - 1),
    eventCount: incident.eventCount,
  };
}
