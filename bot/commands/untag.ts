import { runTag } from '../response/run-tag.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest, readIp } from './args.js';

/** `/untag <ip> [host group]`: take a host out of an SMC host group again. */
export const untag = defineCommand({
  name: 'untag',
  usage: '<ip> [host group]',
  summary: 'remove a host from an SMC host group',
  audience: 'operator',
  parse(args) {
    const [word, group] = firstAndRest(args);
    const ip = readIp(word);
    return ip.ok ? { ok: true, args: { ip: ip.args, group: group || undefined } } : ip;
  },
  async run(ctx, { ip, group }) {
    await runTag(ctx, { op: 'untag', ip, group });
  },
});
