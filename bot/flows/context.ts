/**
 * Flow context for new alert cards, hooked like auto-enrichment: each new incident asks for its
 * host's top peers in the hour up to its last activity, through the flow gate, and stores the
 * busiest three on the incident. The pipeline gives its hooks a few seconds: a quick answer is on
 * the card's first post; a late one (the gate's per-minute budget spent by a burst) updates the
 * card once it is out, and the card posts without the line meanwhile.
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
  return async (incident) => {
    if (incident.topTalkers) return;
    const to = new Date(Date.parse(incident.lastActive));
    if (Number.isNaN(to.getTime())) return;
    await opts.flows
      .summary(incident.hostIp, { from: new Date(to.getTime() - WINDOW_MS), to }, 'background')
      .then(async (summary) => {
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
        // Not posted yet: the card is queued by the pipeline and shows them. Posted: it is updated.
        if (result?.incident.card) await opts.outbox.enqueueAlert(incident.id);
      })
      .catch((err: unknown) => {
        if (err instanceof FlowGateStoppedError) return;
        if (err instanceof FlowQueueFullError) opts.log.info({ incidentId: incident.id }, err.message);
        else opts.log.warn({ err, incidentId: incident.id }, 'flow context failed; the card shows none');
      });
  };
}
