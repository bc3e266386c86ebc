import { runEnrich } from '../enrich/run-enrich.js';
import { parseObservable } from '../observables/parse.js';
import type { Observable } from '../observables/parse.js';
import { defineAction } from '../router/types.js';

/** Enrich: the incident's peer (or its host when there is no peer), answered under the alert. */
export const enrichPeer = defineAction({
  verb: 'enrich',
  summary: 'Enrich',
  audience: 'operator',
  async run(ctx, { incident }) {
    const target = parseObservable(incident.peers[0]?.ip ?? incident.hostIp);
    await runEnrich(ctx, target ? [target as Observable] : [], incident.id);
  },
});
