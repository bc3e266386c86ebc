import { flowsCard } from '../../cards/flows.js';
import { parseDuration } from '../duration.js';
import { UserInputError } from '../errors.js';
import { type ParseResult, defineCommand } from '../router/types.js';
import { firstAndRest, readIp } from './args.js';

const DEFAULT_WINDOW_MS = 60 * 60_000;
const MAX_WINDOW_MS = 24 * 3_600_000;
const MIN_WINDOW_MS = 60_000;

/** `/flows <ip> [window]`: the host's top peers by bytes from the SMC's flows (default: the last hour). */
export const flows = defineCommand({
  name: 'flows',
  aliases: ['talkers'],
  usage: '<ip> [window like 30m, 2h; default 60m]',
  summary: 'top peers of a host by bytes, from SMC flows',
  audience: 'operator',
  parse(args): ParseResult<{ ip: string; windowMs: number }> {
    const [word, rest] = firstAndRest(args);
    const ip = readIp(word);
    if (!ip.ok) return ip;
    if (!rest) return { ok: true, args: { ip: ip.args, windowMs: DEFAULT_WINDOW_MS } };
    const windowMs = parseDuration(rest);
    if (windowMs === undefined) return { ok: false, reason: 'takes a window like `30m` or `2h` after the address' };
    if (windowMs < MIN_WINDOW_MS || windowMs > MAX_WINDOW_MS) {
      return { ok: false, reason: 'takes a window from 1m to 24h' };
    }
    return { ok: true, args: { ip: ip.args, windowMs } };
  },
  async run(ctx, { ip, windowMs }) {
    const service = ctx.services.flows;
    if (!service) throw new UserInputError('Flows need the SMC: set SNA_URL, SNA_USERNAME and SNA_PASSWORD.');
    const to = ctx.services.now();
    const summary = await service.summary(ip, { from: new Date(to.getTime() - windowMs), to }, 'interactive');
    await ctx.replyCard(
      flowsCard({
        ip: summary.ip,
        window: { from: summary.from, to: summary.to },
        peers: summary.peers.map((p) => ({
          peer: p.ip,
          where: p.where,
          port: p.port,
          protocol: p.protocol,
          sent: p.sent,
          received: p.received,
          firstSeen: p.firstSeen,
          lastSeen: p.lastSeen,
        })),
        totals: summary.totals,
        capped: summary.capped,
        generatedAt: to.toISOString(),
      }),
    );
  },
});
