/**
 * What a new incident's card waits for: the event pipeline with two hooks (a verdict, top talkers),
 * over memory:// state, the real outbox and alert delivery, into a recorded alert space. Quick
 * answers are on the first post; a hook that released the card, or ran past the hold, gets its
 * answer onto the card as one replacement, never a second card.
 */
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RenderedCard } from '../../../cards/types.js';
import { IncidentStore } from '../../../bot/incidents/store.js';
import type { Incident } from '../../../bot/incidents/types.js';
import { createAlertDelivery } from '../../../bot/outbox/deliver-alert.js';
import { Outbox } from '../../../bot/outbox/outbox.js';
import type { AlertHook, CardHold } from '../../../bot/pipeline/alert-hold.js';
import { EventPipeline } from '../../../bot/pipeline/event-pipeline.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';
import type { PostedCard } from '../../../bot/webex/alert-sink.js';
import { cardText, RecordedAlertSpace } from '../../helpers/webex-double.js';

const log = pino({ level: 'silent' });
/** Long enough that a card waiting it out fails the test (the test times out first). */
const HOLD_FOREVER_MS = 600_000;

/** The recorded space, telling waiters about every card posted or replaced. */
class WatchedSpace extends RecordedAlertSpace {
  private readonly waiters: Array<() => void> = [];
  /** Set by a test to hold a post in flight. */
  beforePost: (() => Promise<void>) | undefined;

  override async post(rendered: RenderedCard): Promise<PostedCard> {
    await this.beforePost?.();
    return this.told(await super.post(rendered));
  }

  override async update(messageId: string, rendered: RenderedCard): Promise<PostedCard> {
    return this.told(await super.update(messageId, rendered));
  }

  /** Resolves once `count` cards were posted or replaced in all. */
  async posts(count: number): Promise<void> {
    while (this.messages.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private told(posted: PostedCard): PostedCard {
    for (const wake of this.waiters.splice(0)) wake();
    return posted;
  }
}

/** A promise with its resolve, for a hook's answer that arrives when the test says. */
function later(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let state: StateStore;
let incidents: IncidentStore;
let outbox: Outbox;
let space: WatchedSpace;
const clock = Date.parse('2026-12-01T10:00:00Z');
const now = () => new Date(clock);

beforeEach(async () => {
  state = await openStateStore('memory://');
  incidents = new IncidentStore(state, { windowMinutes: 120, now });
  space = new WatchedSpace();
  outbox = new Outbox({
    state,
    log,
    now,
    deliver: createAlertDelivery({
      incidents,
      sink: space,
      card: { hostUrlTemplate: undefined, canBlock: true, canTag: true, canEscalate: true },
      log,
      now,
    }),
  });
  outbox.start();
  return async () => {
    await outbox.stop();
    await state.close();
  };
});

function pipelineWith(hooks: AlertHook[], holdMs: number): EventPipeline {
  return new EventPipeline({
    state,
    incidents,
    outbox,
    minPoints: 0,
    digestThreshold: 10,
    seenWindowMs: 3600_000,
    beforeAlert: hooks,
    beforeAlertWaitMs: holdMs,
    now,
    log,
  });
}

async function newEvent(pipeline: EventPipeline, host: string): Promise<void> {
  const at = new Date(clock - 5 * 60_000).toISOString();
  await pipeline.process(
    [
      {
        id: 1,
        typeId: 16,
        firstActive: at,
        lastActive: at,
        source: { ip: host, hostGroups: [] },
        target: { ip: '203.0.113.7', port: 443, protocol: 'tcp', hostGroups: [] },
        hitCount: 1,
        points: 300,
      },
    ],
    { tenantKey: '102', names: new Map([[16, 'High Total Traffic']]), window: { from: now(), to: now() } },
  );
}

/** The verdict hook: answers at once. */
const verdict: AlertHook = async (incident) => {
  const result = await incidents.change(incident.id, (i) => {
    i.peerVerdict = { ip: '203.0.113.7', disposition: 'malicious', summary: 'Cisco XDR: malicious' };
    return true;
  });
  return result?.changed === true;
};

/**
 * The top-talkers hook: answers when `answer` resolves (then calls `stored`), releasing the card
 * first when `release` says.
 */
function talkers(answer: Promise<void>, opts: { release: boolean; stored?: () => void }): AlertHook {
  return async (incident: Incident, hold: CardHold) => {
    if (opts.release) hold.release();
    await answer;
    const result = await incidents.change(incident.id, (i) => {
      i.topTalkers = {
        at: now().toISOString(),
        peers: [{ ip: '203.0.113.7', port: 443, protocol: 'tcp', bytes: 9e6 }],
      };
      return true;
    });
    opts.stored?.();
    return result?.changed === true;
  };
}

const texts = () => space.messages.map((m) => cardText(m.rendered));

/** The one card in the space now; fails the test when there is not exactly one. */
function shownText(): string {
  const shown = space.shown();
  if (shown.length !== 1 || !shown[0]) throw new Error(`expected one card in the space, got ${shown.length}`);
  return cardText(shown[0].rendered);
}

describe('a new alert card and its hooks', () => {
  it('posts at once with the quick verdict when the other hook released it, and adds its answer as one replacement', async () => {
    const answer = later();
    await newEvent(pipelineWith([verdict, talkers(answer.promise, { release: true })], HOLD_FOREVER_MS), '10.0.0.1');
    await space.posts(1);
    expect(texts()[0]).toContain('Peer verdict: Malicious');
    expect(texts()[0]).not.toContain('Top talkers');

    answer.resolve();
    await space.posts(2);
    await outbox.idle();
    expect(space.messages).toHaveLength(2);
    expect(shownText()).toContain('Peer verdict: Malicious');
    expect(shownText()).toContain('Top talkers');
  });

  it('waits for hooks that answer within the hold: one card, with both answers', async () => {
    const answer = later();
    const pipeline = pipelineWith([verdict, talkers(answer.promise, { release: false })], HOLD_FOREVER_MS);
    const processed = newEvent(pipeline, '10.0.0.2');
    answer.resolve();
    await processed;
    await space.posts(1);
    await outbox.idle();
    expect(space.messages).toHaveLength(1);
    expect(texts()[0]).toContain('Peer verdict: Malicious');
    expect(texts()[0]).toContain('Top talkers');
  });

  it('posts after the hold without a hook that neither answered nor released it; its answer replaces the card once', async () => {
    const answer = later();
    await newEvent(pipelineWith([verdict, talkers(answer.promise, { release: false })], 20), '10.0.0.3');
    await space.posts(1);
    expect(texts()[0]).not.toContain('Top talkers');
    answer.resolve();
    await space.posts(2);
    await outbox.idle();
    expect(space.messages).toHaveLength(2);
    expect(shownText()).toContain('Top talkers');
  });

  it('gets an answer that lands while the first post is in flight onto the card, as one replacement', async () => {
    const answer = later();
    const stored = later();
    const inFlight = later();
    const letPostFinish = later();
    space.beforePost = async () => {
      inFlight.resolve();
      await letPostFinish.promise;
    };
    const hook = talkers(answer.promise, { release: true, stored: stored.resolve });
    await newEvent(pipelineWith([verdict, hook], HOLD_FOREVER_MS), '10.0.0.4');
    await inFlight.promise;
    // Stored while Webex is still taking the first card, which was rendered without it.
    answer.resolve();
    await stored.promise;
    letPostFinish.resolve();
    await space.posts(2);
    await outbox.idle();
    expect(space.messages).toHaveLength(2);
    expect(texts()[0]).not.toContain('Top talkers');
    expect(shownText()).toContain('Top talkers');
  });
});
