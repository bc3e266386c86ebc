/**
 * Flow context for new alert cards, hooked like auto-enrichment: each new incident asks for its
 * host's top peers in the hour up to its last activity, through the flow gate (never waiting for
 * it: the card posts without the line), then stores the busiest three on the incident and queues
 * the card, which is posted with them or updated to show them.
 */
import type { IncidentStore } from '../incidents/store.js';
import type { Incident } from '../incidents/types.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import { FlowGateStoppedError, FlowQueueFullError } from './gate.js';
import type { FlowService } from './service.js';

const WINDOW_MS = 60 * 60_000;
const TALKERS = 3;

export function flowContext(opts: {
  flows: FlowService;
  incidents: IncidentStore;
  outbox: Outbox;
  log: Logger;
}): (incident: Incident) => Promise<void> {
  return (incident) => {
    if (incident.topTalkers) return Promise.resolve();
    const to = new Date(Date.parse(incident.lastActive));
    if (Number.isNaN(to.getTime())) return Promise.resolve();
    void opts.flows
      .summary(incident.hostIp, { from: new Date(to.getTime() - WINDOW_MS), to }, 'background')
      .then(async (summary) => {
        const peers = summary.peers.slice(0, TALKERS).map((p) => ({
          ip: p.ip,
          port: p.port,
          protocol: p.protocol,
          bytes: p.sent + p.received,
        }));
        await opts.incidents.change(incident.id, (i) => {
          i.topTalkers = { at: summary.at, peers };
          return true;
        });
        // Coalesced with the card's first post when it still waits; an update when it is out.
        await opts.outbox.enqueueAlert(incident.id);
      })
      .catch((err: unknown) => {
        if (err instanceof FlowGateStoppedError) return;
        if (err instanceof FlowQueueFullError) opts.log.info({ incidentId: incident.id }, err.message);
        else opts.log.warn({ err, incidentId: incident.id }, 'flow context failed; the card shows none');
      });
    return Promise.resolve();
  };
}
