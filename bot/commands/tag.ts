import { runTag } from '../response/run-tag.js';
import { defineCommand } from '../router/types.js';
import { firstAndRest, readIp } from './args.js';

/** `/tag <ip> [host group]`: put an inside host into an SMC host group. */
export const tag = defineCommand({
  name: 'tag',
  usage: '<ip> [host group]',
  summary: 'put an inside host into an SMC host group (default: the quarantine group)',
  audience: 'operator',
  parse(args) {
    const [word, group] = firstAndRest(args);
    const ip = readIp(word);
    return ip.ok ? { ok: true, args: { ip: ip.args, group: group || undefined } } : ip;
  },
  async run(ctx, { ip, group }) {
    await runTag(ctx, { op: 'tag', ip, group });
  },
});
