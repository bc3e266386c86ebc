import { runTag } from '../response/run-tag.js';
import { defineAction } from '../router/types.js';

/** Tag host: the incident's inside host goes into the quarantine host group. */
export const tagHost = defineAction({
  verb: 'tag',
  summary: 'Tag host',
  audience: 'operator',
  async run(ctx, { incident }) {
    await runTag(ctx, { op: 'tag', ip: incident.hostIp, incidentId: incident.id });
  },
});
