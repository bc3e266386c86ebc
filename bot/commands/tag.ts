import { runTag } from '../response/run-tag.js';
import { defineCommand } from '../router/types.js';
import { readHostAndGroup } from './args.js';

/** `/tag <ip> [host group]`: put an inside host into an SMC host group. */
export const tag = defineCommand({
  name: 'tag',
  usage: '<ip> [host group]',
  summary: 'put an inside host into an SMC host group (default: the quarantine group)',
  audience: 'operator',
  parse: readHostAndGroup,
  async run(ctx, { ip, group }) {
    await runTag(ctx, { op: 'tag', ip, group });
  },
});
