import { runTag } from '../response/run-tag.js';
import { defineAction } from '../router/types.js';

/** Untag: the incident's host leaves the host group it was tagged into. */
export const untagHost = defineAction({
  verb: 'untag',
  summary: 'Untag',
  audience: 'operator',
  async run(ctx, { incident }) {
    await runTag(ctx, { op: 'untag', ip: incident.hostIp, group: incident.tag?.hostGroup, incidentId: incident.id });
  },
});
