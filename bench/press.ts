/**
 * Press → judgement + card: a responder presses **Block peer** on an alert card; measured from
 * `submitCard` (the Webex simulator delivering the signed `attachmentActions` webhook) to the
 * incident's card showing "Blocked <peer>" in the Webex simulator. The judgement's creation in
 * the XDR simulator is on the way.
 *
 * Bot overhead = that time minus the simulators' own service time: every request the XDR and Webex
 * simulators serve during the press is timed inside them (Node's http.server diagnostics channels,
 * from request start to response finish) and the union of those intervals is subtracted, so
 * parallel calls count once. What remains is the bot's own work plus loopback hops. The bot runs
 * as a child process, so its CPU time never lands inside the simulators' intervals.
 *
 * Calls per press: every request the bot makes to the XDR simulator and (with the bot's token) to
 * the Webex simulator, from their own call logs, counted from each measured press until the next
 * press (a press's trailing calls, such as deleting the replaced card, land after its card is
 * shown); the rows are the mean over the measured presses, so a call that trails into the next
 * press's span still counts once. Targets: ≤ 3 XDR calls once the feed exists (the warm-up
 * creates it) and ≤ 3 Webex calls. The issue asked for ≤ 2 Webex calls; Webex's published contract
 * makes 3 the floor (../shared/docs/api-contracts.md §8.3–8.4, VERIFIED against Cisco's spec): the
 * `attachmentActions` webhook carries no inputs, so the press must be read (`GET
 * /attachment/actions/{id}`), and a message with a card cannot be edited (`PUT /messages/{id}`
 * answers 400), so showing the block is a new card (`POST /messages`) and the old one's removal
 * (`DELETE /messages/{id}`). The presser's name comes from a cache (bot/webex/people-cache.ts).
 *
 * Setup: AUTO_ENRICH=false and SNA_FLOW_CONTEXT=false (no enrichment or flow calls competing, and
 * no card replaced by a late top-talkers line while it is about to be pressed: past the flow budget's
 * six a minute, those arrive about a minute later), DIGEST_THRESHOLD=1000 (one card per incident); every card update is a post + delete (Webex cannot edit a card message, so the bot
 * never tries). Two warm-up presses (feed creation among them) are not counted.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { coveredTime, recordServerTimes, round, sleep, summarize } from './lib/measure.js';
import { info, measured, type BenchContext, type BenchOutcome, type Benchmark } from './lib/report.js';
import { runStandalone } from './lib/standalone.js';
import { cardActions, createWorld, startChildBot, watchCards } from './lib/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
const WARM_UP = 2;
const TARGET_OVERHEAD_MS = 50;
const TARGET_XDR_CALLS = 3;
/** The floor Webex's contract allows: read the press, post the new card, delete the old (see above). */
const TARGET_WEBEX_CALLS = 3;

export const press: Benchmark = {
  name: 'press',
  title: 'Block press → judgement in XDR + card updated',
  timeoutMs: 180_000,
  async run({ signal, log }: BenchContext): Promise<BenchOutcome> {
    const samples = Math.min(Math.max(Number(process.env.BENCH_PRESS_SAMPLES ?? 20) || 20, 1), 90);
    const world = await createWorld();
    const watcher = watchCards(world);
    const xdrPort = world.xdr.port;
    const webexPort = Number(new URL(world.webex.url).port);
    const recorder = recordServerTimes([xdrPort, webexPort]);
    let bot: Awaited<ReturnType<typeof startChildBot>> | undefined;
    try {
      bot = await startChildBot(
        world,
        {
          AUTO_ENRICH: 'false',
          SNA_FLOW_CONTEXT: 'false',
          DIGEST_THRESHOLD: '1000',
          SNA_POLL_SECONDS: '2',
          LOG_LEVEL: 'warn',
        },
        signal,
      );
      const total = samples + WARM_UP;
      const incidents = Array.from({ length: total }, (_, i) => ({
        host: `10.50.1.${100 + i}`,
        peer: `203.0.113.${100 + i}`,
      }));
      for (const { host, peer } of incidents)
        world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: host, targetIp: peer });
      log(`press: waiting for ${total} alert cards`);
      const cards = [];
      for (const { host } of incidents) {
        cards.push(await watcher.waitFor((c) => c.text.includes(host), 30_000, `the card for ${host}`, signal));
      }
      await sleep(1000, signal);

      log(`press: ${WARM_UP} warm-up presses, then ${samples} measured`);
      const rows: Array<{
        total: number;
        simulators: number;
        overhead: number;
        judgement: number | null;
        xdrCalls: number;
        webexCalls: number;
        personLookupWait: number | null;
      }> = [];
      let timeline: string[] = [];
      const botWebexCalls = () => world.webex.calls.filter((c) => c.auth === 'bot');
      let measuredFrom: { xdr: number; webex: number } | undefined;
      for (const [i, { peer }] of incidents.entries()) {
        if (i === WARM_UP) measuredFrom = { xdr: world.xdr.calls.length, webex: botWebexCalls().length };
        const card = cards[i];
        const data = card && cardActions(card.message).find((a) => a.data?.action === 'block')?.data;
        if (!card || !data) throw new Error(`the card for ${peer} has no Block button`);
        recorder.served.length = 0;
        const t0 = performance.now();
        await world.webex.submitCard({ personId: world.responder.id, messageId: card.message.id, inputs: data });
        const done = await watcher.waitFor(
          (c) => c.at > t0 && c.text.includes(`Blocked ${peer}`),
          15_000,
          `the card to show the block of ${peer}`,
          signal,
        );
        const inWindow = recorder.served.filter((s) => s.start >= t0 && s.start <= done.at);
        const judgement = inWindow.find(
          (s) => s.port === xdrPort && s.method === 'POST' && s.url === '/ctia/judgement',
        );
        // The framework resolves the presser through the SDK's people batcher, which waits before
        // sending `GET /people?id=…`: the gap after fetching the attachment action shows that wait.
        const fetched = inWindow.find((s) => s.port === webexPort && s.url.includes('/attachment/actions/'));
        const people = inWindow.find((s) => s.port === webexPort && s.url.startsWith('/v1/people'));
        const personLookupWait = fetched && people ? round(people.start - fetched.end) : null;
        const elapsed = done.at - t0;
        const simulators = coveredTime(inWindow, t0, done.at);
        if (i === WARM_UP) {
          const at = (ms: number) => `${round(ms - t0)}`.padStart(6);
          timeline = [
            ...inWindow.map(
              (s) => `${at(s.start)} → ${at(s.end)} ms  ${s.port === xdrPort ? 'xdr  ' : 'webex'} ${s.method} ${s.url}`,
            ),
            `${at(done.at)} ms  card showing the block stored`,
          ];
        }
        if (i >= WARM_UP) {
          rows.push({
            total: round(elapsed),
            simulators: round(simulators),
            overhead: round(elapsed - simulators),
            judgement: judgement ? round(judgement.end - t0) : null,
            xdrCalls: inWindow.filter((s) => s.port === xdrPort).length,
            webexCalls: inWindow.filter((s) => s.port === webexPort).length,
            personLookupWait,
          });
        }
        // Let the old card's deletion and any trailing call finish before the next press.
        await sleep(400, signal);
      }
      // Every call the bot made to either simulator during the measured presses (trailing ones included).
      const xdrCalls = world.xdr.calls.slice(measuredFrom?.xdr ?? 0);
      const webexCalls = botWebexCalls().slice(measuredFrom?.webex ?? 0);
      const perPress = (n: number) => (rows.length === 0 ? null : round(n / rows.length, 2));
      const kinds = (calls: ReadonlyArray<{ method: string; path: string }>) => {
        const counts = new Map<string, number>();
        for (const c of calls) {
          const kind = `${c.method} ${c.path.replace(/\/[A-Za-z0-9_=-]{20,}$/, '/{id}')}`;
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
        }
        return [...counts].map(([kind, n]) => `${kind} ×${perPress(n) ?? 0}`).join(', ');
      };

      const overhead = summarize(rows.map((r) => r.overhead));
      const totals = summarize(rows.map((r) => r.total));
      const sims = summarize(rows.map((r) => r.simulators));
      const judgements = summarize(rows.flatMap((r) => (r.judgement === null ? [] : [r.judgement])));
      return {
        metrics: [
          measured('bot overhead p95 (press → card, minus simulator time)', overhead.p95, 'ms', {
            op: '<=',
            value: TARGET_OVERHEAD_MS,
          }),
          info('  bot overhead p50', overhead.p50, 'ms'),
          info('  press → card updated p95', totals.p95, 'ms'),
          info('  press → card updated p50', totals.p50, 'ms'),
          info('  simulators’ own service time p50', sims.p50, 'ms'),
          info('  press → judgement stored in XDR p50', judgements.p50, 'ms'),
          info(
            '  p50 idle gap: action fetched → GET /people sent',
            summarize(rows.flatMap((r) => (r.personLookupWait === null ? [] : [r.personLookupWait]))).p50,
            'ms',
            'part of the overhead: the SDK people batcher waits before looking the presser up',
          ),
          measured(
            'XDR calls per press (feed exists)',
            perPress(xdrCalls.length),
            'calls',
            { op: '<=', value: TARGET_XDR_CALLS },
            kinds(xdrCalls),
          ),
          measured(
            'Webex calls per press',
            perPress(webexCalls.length),
            'calls',
            { op: '<=', value: TARGET_WEBEX_CALLS },
            `${kinds(webexCalls)} (mean of ${rows.length} presses)`,
          ),
          info(
            '  XDR calls before the card showed the block (first measured press)',
            rows[0]?.xdrCalls ?? null,
            'calls',
          ),
          info(
            '  Webex calls before the card showed the block (first measured press)',
            rows[0]?.webexCalls ?? null,
            'calls',
          ),
        ],
        details: {
          samples: rows,
          warmUp: WARM_UP,
          firstMeasuredPressTimeline: timeline,
          xdrCalls: xdrCalls.map((c) => `${c.method} ${c.path} ${c.status}`),
          webexBotCalls: webexCalls.map((c) => `${c.method} ${c.path} ${c.status}`),
        },
      };
    } finally {
      recorder.stop();
      watcher.stop();
      await bot?.stop();
      await world.close();
    }
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(press);
