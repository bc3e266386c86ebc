/**
 * A push cannot suppress what the SMC reports later. A pushed event stamped in the future is
 * refused (400, naming the field); a pushed event under SNA_MIN_POINTS that carries the id of a
 * real SMC event with other content does not hide it: the real one alerts when polled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { type World, cardText, createWorld, eventually, startBot } from '../helpers/world.js';

const TOKEN = 'push-token-0123456789abcdef';
let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(
    world.env({ SNA_WEBHOOK_TOKEN: TOKEN, SNA_POLL_SECONDS: '1', SNA_MIN_POINTS: '100', AUTO_ENRICH: 'false' }),
  );
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

const push = (body: unknown) =>
  fetch(`${app.url}/sna/alarms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
const cardFor = (host: string) => world.cards().find((m) => cardText(m).includes(host));

describe('a poisoned push', () => {
  it('is refused when dated in the future, and cannot hide the real events that carry its ids', async () => {
    // The SMC numbers its events; learn where it stands.
    const probe = world.smc.addEvent({ typeId: 16, sourceIp: '10.91.0.1', targetIp: '203.0.113.191', points: 300 });
    await eventually(() => cardFor('10.91.0.1'), 15_000, 'the probe card');
    const nextIds = [probe.id + 1, probe.id + 2];
    const now = new Date().toISOString();

    const future = await push({
      events: [
        {
          id: nextIds[0],
          typeId: 16,
          sourceIp: '10.91.0.2',
          points: 1,
          firstActive: now,
          lastActive: '2099-01-01T00:00:00Z',
        },
      ],
    });
    expect(future.status).toBe(400);
    const refusal = (await future.json()) as { problems?: string[] };
    expect(refusal.problems?.join(' ')).toMatch(/events\[0\]\.lastActive: .* is in the future/);

    // Not in the future, under SNA_MIN_POINTS, the next id, other content: accepted, no card.
    const low = await push({
      id: nextIds[1],
      typeId: 16,
      sourceIp: '10.91.9.9',
      points: 1,
      hitCount: 50,
      firstActive: now,
    });
    expect(low.status).toBe(202);

    // The real events with those ids alert when polled.
    const real = [
      world.smc.addEvent({ typeId: 16, sourceIp: '10.91.0.2', targetIp: '203.0.113.192', points: 300 }),
      world.smc.addEvent({ typeId: 16, sourceIp: '10.91.0.3', targetIp: '203.0.113.193', points: 300 }),
    ];
    expect(real.map((e) => e.id)).toEqual(nextIds);
    await eventually(() => cardFor('10.91.0.2') && cardFor('10.91.0.3'), 15_000, 'cards for the real events');
    expect(cardFor('10.91.9.9')).toBeUndefined();
  });
});
