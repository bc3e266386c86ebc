import { runTag } from '../response/run-tag.js';
import { defineCommand } from '../router/types.js';
import { readHostAndGroup } from './args.js';

/** `/untag <ip> [host group]`: take a host out of an SMC host group again. */
export const untag = defineCommand({
  name: 'untag',
  usage: '<ip> [host group]',
  summary: 'remove a host from an SMC host group',
  audience: 'operator',
  parse: readHostAndGroup,
  async run(ctx, { ip, group }) {
    await runTag(ctx, { op: 'untag', ip, group });
  },
});
