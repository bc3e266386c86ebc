/**
 * 429 storm: a burst of BENCH_STORM_HOSTS (40) new incidents lands while Webex answers every
 * message POST with 429 for a while, and BENCH_STORM_FOLLOWUPS (5) of those hosts send a new event
 * during the storm. Measures whether every host is named in the alert space once Retry-After is
 * over (the digest, its list, the follow-ups' own cards), when the last one arrived, and that
 * nothing was lost or doubled.
 *
 * Workload (identical every run): one event of type 16 per host `10.40.0.100+i`, points 120–339,
 * each to its own documentation-range peer; DIGEST_THRESHOLD=10, SNA_POLL_SECONDS=1. Before the
 * bot starts, the Webex simulator is told to answer the next BENCH_STORM_429S (6) `POST /messages`
 * with 429 and `Retry-After: BENCH_STORM_RETRY_AFTER` (2) seconds. Once the first poll has logged
 * its summary, the follow-up hosts (the last five, the ones a ten-row digest would not name) get one
 * new event each. "The storm is over" = the last 429 answered + its Retry-After.
 */
import { fileURLToPath } from 'node:url';
import { info, measured, type BenchContext, type BenchOutcome, type Benchmark } from './lib/report.js';
import { round, sleep, waitUntil } from './lib/measure.js';
import { runStandalone } from './lib/standalone.js';
import { cardText, createWorld, hostsNamed, startChildBot, watchCards } from './lib/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
const POLL_LOG = 'poll found new or changed security events';
/** After the storm, the room may take this long to name every host (one retry, then the queue). */
const TARGET_AFTER_STORM_MS = 3000;

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const storm: Benchmark = {
  name: 'storm',
  title: '429 storm during a burst of new incidents',
  timeoutMs: 180_000,
  async run({ signal, log }: BenchContext): Promise<BenchOutcome> {
    const hostCount = positiveInt('BENCH_STORM_HOSTS', 40);
    const followCount = Math.min(positiveInt('BENCH_STORM_FOLLOWUPS', 5), hostCount);
    const rejections = positiveInt('BENCH_STORM_429S', 6);
    const retryAfter = positiveInt('BENCH_STORM_RETRY_AFTER', 2);
    const world = await createWorld();
    const watcher = watchCards(world);
    let bot: Awaited<ReturnType<typeof startChildBot>> | undefined;
    try {
      const hosts = Array.from({ length: hostCount }, (_, i) => `10.40.${Math.floor(i / 150)}.${100 + (i % 150)}`);
      const wanted = new Set(hosts);
      const now = Date.now();
      hosts.forEach((host, i) =>
        world.smc.addEvent({
          typeId: HIGH_TOTAL_TRAFFIC,
          sourceIp: host,
          targetIp: `203.0.113.${(i % 250) + 1}`,
          targetPort: 443,
          points: 120 + ((i * 37) % 220),
          firstActive: new Date(now - 10 * 60_000 + i * 1000),
          lastActive: new Date(now - 5 * 60_000 + i * 1000),
        }),
      );
      world.webex.rateLimitNext(rejections, retryAfter, { method: 'POST', pathPrefix: '/messages' });
      log(`storm: ${hostCount} hosts in the SMC; the next ${rejections} message posts answer 429 (${retryAfter} s)`);

      bot = await startChildBot(
        world,
        { LOG_LEVEL: 'info', SNA_POLL_SECONDS: '1', DIGEST_THRESHOLD: '10', AUTO_ENRICH: 'false' },
        signal,
      );
      const currentBot = bot;
      await waitUntil(() => currentBot.logs().find((l) => l.msg === POLL_LOG), {
        timeoutMs: 60_000,
        what: 'the first poll',
        signal,
        everyMs: 50,
      });
      const followUps = hosts.slice(-followCount);
      followUps.forEach((host, i) =>
        world.smc.addEvent({
          typeId: HIGH_TOTAL_TRAFFIC,
          sourceIp: host,
          targetIp: `198.51.100.${i + 1}`,
          targetPort: 443,
          points: 400,
        }),
      );
      log(`storm: first poll done; ${followCount} follow-up events added; waiting for the storm to pass`);

      const rateLimited = () => world.webex.calls.filter((c) => c.fault === 'rateLimit');
      await waitUntil(() => rateLimited().length >= rejections, { timeoutMs: 90_000, what: 'the storm', signal });
      const stormEnd = Math.max(...rateLimited().map((c) => Date.parse(c.at) + retryAfter * 1000));
      const ownCardOf = (host: string) =>
        world.cards().filter((m) => !m.parentId && cardText(m).includes(host) && !/new incidents?/.test(cardText(m)));
      await waitUntil(
        () => hostsNamed(world, wanted).named.size === hostCount && followUps.every((h) => ownCardOf(h).length > 0),
        { timeoutMs: 60_000, what: 'every host named and the follow-ups alerted', signal, everyMs: 50 },
      ).catch((err: unknown) => log(`storm: ${err instanceof Error ? err.message : String(err)}`));
      // Settle: anything doubled would arrive now.
      let lastCount = world.webex.calls.length;
      for (let quiet = 0; quiet < 3;) {
        await sleep(1000, signal);
        quiet = world.webex.calls.length === lastCount ? quiet + 1 : 0;
        lastCount = world.webex.calls.length;
      }

      const { named, firstNamedAt } = hostsNamed(world, wanted, watcher.seen);
      const lastNamed = named.size === hostCount ? Math.max(...firstNamedAt.values()) : null;
      const digests = world.cards().filter((m) => !m.parentId && /new incidents? in the last poll/.test(cardText(m)));
      const ownCards = followUps.map((h) => ownCardOf(h).length);
      const posts = world.webex.calls.filter(
        (c) => c.auth === 'bot' && c.method === 'POST' && c.path === '/v1/messages',
      );
      const ownCardAt = followUps.map(
        (host) =>
          watcher.seen.find((c) => !c.message.parentId && c.text.includes(host) && !/new incidents?/.test(c.text))
            ?.wall,
      );
      const lastOwnCard = ownCardAt.every((t) => t !== undefined) ? Math.max(...(ownCardAt as number[])) : null;
      return {
        metrics: [
          measured('hosts named in the room after the storm', named.size, 'hosts', { op: '>=', value: hostCount }),
          measured(
            'last host named, after Retry-After is over',
            lastNamed === null ? null : Math.max(0, lastNamed - stormEnd),
            'ms',
            { op: '<=', value: TARGET_AFTER_STORM_MS },
            named.size === hostCount ? undefined : `${hostCount - named.size} hosts never named`,
          ),
          measured(
            'follow-up hosts with their own card',
            ownCards.filter((n) => n > 0).length,
            'hosts',
            { op: '>=', value: followCount },
            `${followCount} named-in-digest hosts sent a new event during the storm`,
          ),
          measured(
            'last follow-up card, after Retry-After is over',
            lastOwnCard === null ? null : Math.max(0, lastOwnCard - stormEnd),
            'ms',
            { op: '<=', value: TARGET_AFTER_STORM_MS },
          ),
          measured(
            'cards doubled (digests beyond one, own cards beyond one per host)',
            Math.max(0, digests.length - 1) + ownCards.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
            'cards',
            { op: '<=', value: 0 },
          ),
          info(
            'message posts answered 429',
            rateLimited().length,
            'calls',
            `Retry-After ${retryAfter} s; storm over ${round((stormEnd - now) / 1000)} s after the events existed`,
          ),
          info('message posts by the bot', posts.length, 'calls'),
        ],
        details: {
          hosts: hostCount,
          followUps,
          rejections,
          retryAfterSeconds: retryAfter,
          stormEnd: new Date(stormEnd).toISOString(),
          hostsNotNamed: hosts.filter((h) => !named.has(h)),
          firstNamedAt: Object.fromEntries([...firstNamedAt].map(([h, t]) => [h, new Date(t).toISOString()])),
          webexBotCalls: world.webex.calls
            .filter((c) => c.auth === 'bot' && c.method !== 'GET')
            .map((c) => `${c.at} ${c.method} ${c.path} ${c.status}`),
        },
      };
    } finally {
      watcher.stop();
      await bot?.stop();
      await world.close();
    }
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(storm);
