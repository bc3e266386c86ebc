/**
 * Two replicas on one Redis: exactly one polls and delivers (the lease holder); when it is
 * killed with SIGKILL in the middle of a poll, the other takes over within
 * LEADER_LEASE_SECONDS and no alert is lost or doubled.
 *
 * Needs a Redis at REDIS_TEST_URL (default redis://127.0.0.1:6379); skipped loudly without
 * one, except in CI (`.ci/run` starts one), where that is a failure.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL, redisForTests } from '../helpers/redis.js';
import {
  type ChildBot,
  type World,
  cardText,
  createWorld,
  eventually,
  spawnBot,
  withPort,
  smcPolls,
} from '../helpers/world.js';

const REDIS_URL = REDIS_TEST_URL;
const LEASE_SECONDS = 3;

const available = await redisForTests('the Redis HA tests');

let world: World;
const bots: ChildBot[] = [];

beforeAll(async () => {
  if (available) world = await createWorld({ smc: { pollsUntilComplete: 3 } });
});
afterAll(async () => {
  for (const bot of bots) await bot.stop('SIGKILL');
  await world?.close();
});

async function role(env: Record<string, string>): Promise<string | undefined> {
  const res = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).catch(() => undefined);
  return res ? ((await res.json()) as { role?: string }).role : undefined;
}

describe.skipIf(!available)('two replicas on Redis', () => {
  it('poll and deliver through one leader, and the other takes over after a kill -9 without losing or doubling alerts', async () => {
    const base = world.env({
      STATE_URL: REDIS_URL,
      STATE_NAMESPACE: `sna-chatops-test-${randomUUID().slice(0, 8)}`,
      LEADER_LEASE_SECONDS: String(LEASE_SECONDS),
      AUTO_ENRICH: 'false',
      // No late card updates: a kill -9 between Webex storing a replacement card and the bot
      // recording it leaves both cards (the at-least-once window tests/faults/crash.test.ts shows);
      // with flow context, a slow flow answer on a loaded machine put a replacement of the first
      // card just there. This test is about the poll in flight.
      SNA_FLOW_CONTEXT: 'false',
      LOG_LEVEL: 'info',
    });
    const envA = await withPort(base);
    const envB = await withPort(base);
    // Started together: whichever takes the lease first leads.
    const a = spawnBot(envA);
    const b = spawnBot(envB);
    bots.push(a, b);
    await Promise.all([a.ready(), b.ready()]);

    const roles = await eventually(
      async () => {
        const r = [await role(envA), await role(envB)];
        return r.filter((x) => x === 'leader').length === 1 ? r : undefined;
      },
      10_000,
      'exactly one leader',
    );
    const [leader, follower, followerEnv, leaderEnv] = roles[0] === 'leader' ? [a, b, envB, envA] : [b, a, envA, envB];

    world.smc.addEvent({ typeId: 16, sourceIp: '10.99.0.1', targetIp: '203.0.113.150' });
    await eventually(() => world.cards().some((m) => cardText(m).includes('10.99.0.1')), 20_000, 'the first alert');
    // …and recorded by the leader (its outbox empty): a kill -9 between Webex storing a card and the
    // bot recording it is the documented at-least-once window (tests/faults/crash.test.ts), not this test's.
    await eventually(
      async () =>
        /^sna_chatops_outbox_depth 0$/m.test(await (await fetch(`http://127.0.0.1:${leaderEnv.PORT}/metrics`)).text()),
      10_000,
      'the first alert recorded',
    );

    // Kill the leader while a poll is in flight (the simulator keeps queries IN_PROGRESS for 3 polls).
    const queriesBefore = world.smc.calls.filter(
      (c) => c.method === 'POST' && c.path.endsWith('/security-events/queries'),
    ).length;
    for (let i = 2; i <= 4; i++)
      world.smc.addEvent({ typeId: 16, sourceIp: `10.99.0.${i}`, targetIp: '203.0.113.151' });
    await eventually(
      () =>
        world.smc.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/security-events/queries')).length >
        queriesBefore,
      10_000,
      'a poll in flight',
    );
    leader.process.kill('SIGKILL');
    const killedAt = Date.now();

    await eventually(
      async () => (await role(followerEnv)) === 'leader',
      (LEASE_SECONDS + 5) * 1000,
      'the follower to take over',
    );
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS + 3) * 1000);

    for (let i = 1; i <= 4; i++) {
      const host = `10.99.0.${i}`;
      await eventually(() => world.cards().some((m) => cardText(m).includes(host)), 20_000, `the alert for ${host}`);
    }
    // Later polls by the new leader over the same window change nothing.
    await smcPolls(world, 2);
    for (let i = 1; i <= 4; i++) {
      expect(
        world.cards().filter((m) => cardText(m).includes(`10.99.0.${i}`)),
        `cards for 10.99.0.${i}`,
      ).toHaveLength(1);
    }
    expect(follower.process.exitCode).toBeNull();
  }, 90_000);
});
