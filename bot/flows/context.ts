/**
 * Flow context for new alert cards, a hook like auto-enrichment: each new incident asks for its
 * host's top peers in the hour up to its last activity, through the flow gate, and stores the
 * busiest three on the incident. The card waits for them only when they can come within its hold:
 * cached, or a query that starts at once and is not slower than the last one was. A query that
 * waits in the gate's queue (the minute's budget spent by a burst, or another query running)
 * releases the card at once; the line is added when the answer comes (the pipeline updates the card).
 */
import type { IncidentStore } from '../incidents/store.js';
import type { Logger } from '../log.js';
import type { AlertHook } from '../pipeline/alert-hold.js';
import { FlowGateStoppedError, FlowQueueFullError } from './gate.js';
import type { FlowService } from './service.js';

const WINDOW_MS = 60 * 60_000;
const TALKERS = 3;

export function flowContext(opts: { flows: FlowService; incidents: IncidentStore; log: Logger }): AlertHook {
  return async (incident, hold) => {
    if (incident.topTalkers) return false;
    const to = new Date(Date.parse(incident.lastActive));
    if (Number.isNaN(to.getTime())) return false;
    try {
      const summary = await opts.flows.summary(
        incident.hostIp,
        { from: new Date(to.getTime() - WINDOW_MS), to },
        'background',
        { withinMs: hold.remainingMs(), onLate: () => hold.release() },
      );
      const peers = summary.peers.slice(0, TALKERS).map((p) => ({
        ip: p.ip,
        port: p.port,
        protocol: p.protocol,
        bytes: p.sent + p.received,
      }));
      const result = await opts.incidents.change(incident.id, (i) => {
        i.topTalkers = { at: summary.at, peers };
        return true;
      });
      return result?.changed === true;
    } catch (err) {
      if (err instanceof FlowQueueFullError) opts.log.info({ incidentId: incident.id }, err.message);
      else if (!(err instanceof FlowGateStoppedError)) {
        opts.log.warn({ err, incidentId: incident.id }, 'flow context failed; the card shows none');
      }
      return false;
    }
  };
}
