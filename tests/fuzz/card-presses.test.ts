/**
 * Arbitrary `inputs` on card presses, through the real framework and router: missing fields,
 * wrong types, unknown verbs, old or odd `v`, prototype-pollution keys, huge strings, and the
 * incident id of another card. Pressed by someone outside the bot's roles (anything goes) and
 * by an operator (payloads that must not pass: a wrong `v`, another card's incident, an unknown
 * verb). Every press gets exactly one clear answer under the card; a replayed webhook for a
 * press already handled gets none; the bot keeps running, and neither the SMC nor XDR changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { Delivery, SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { cardActions, cardText, createWorld, eventually, startBot, type World } from '../helpers/world.js';
import { FC_SEED, hostileText } from './arbitraries.js';

const HOSTS = ['10.98.0.1', '10.98.0.2'] as const;
const VERBS = ['ack', 'enrich', 'block', 'unblock', 'approve-block', 'tag', 'untag', 'escalate'] as const;
/** Answers a press may get when it must not act. */
const REFUSALS = [
  /^That button is from a card I no longer understand\./,
  /^That card is out of date; use the latest card for this incident\.$/,
  /^Sorry, the .+ button is for (?:operators|responders) \(BOT_(?:OPERATORS|RESPONDERS)\)\. Nothing was changed;/,
];

let world: World;
let app: App;
const incidentOf = new Map<string, string>();

beforeAll(async () => {
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
  app = await startBot(world.env({ AUTO_ENRICH: 'false' }));
  HOSTS.forEach((host, i) => world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: `203.0.113.${200 + i}` }));
  await eventually(() => HOSTS.every((h) => cardFor(h)), 15_000, 'both alert cards');
  for (const host of HOSTS) {
    const id = cardActions(cardFor(host) as WebexMessage).find((a) => a.data?.action === 'ack')?.data?.incidentId;
    incidentOf.set(host, String(id));
  }
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

function cardFor(host: string): WebexMessage | undefined {
  return world.cards().find((m) => cardText(m).includes(host));
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const answersUnder = (cardId: string) =>
  world.webex.messagesIn(world.alertRoom.id).filter((m) => m.personId === world.webex.bot.id && m.parentId === cardId);

/** What the SMC and XDR hold that a press could change. */
function upstreamState(): string {
  const xdr = world.xdr.state();
  return JSON.stringify({ counts: xdr.counts, hostGroups: world.smc.state().hostGroups });
}
const upstreamWrites = () => ({
  smc: world.smc.calls.filter(
    (c) => c.method !== 'GET' && !c.path.includes('/security-events/') && !c.path.startsWith('/token'),
  ).length,
  xdr: world.xdr.calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/ctia/')).length,
});

// --- what gets pressed -------------------------------------------------------------------------

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.constant({ action: 'ack', v: 1, incidentId: 'x' }),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => 'A'.repeat(n)),
);
const verb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VERBS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('ACK', 'ack ', 'delete', 'admin', '__proto__', 'constructor', 'toString', ''),
  },
  { weight: 1, arbitrary: hostileText({ maxRepeat: 20_000 }) },
  { weight: 1, arbitrary: anyValue },
);
/** Versions that are not the current one, whatever zod's coercion makes of them. */
const wrongVersion = fc.constantFrom<unknown>(
  0,
  2,
  -1,
  1.5,
  'x',
  '2',
  null,
  {},
  [],
  [1, 2],
  false,
  '',
  'Infinity',
  1e308,
);
const anyVersion = fc.oneof(fc.constantFrom<unknown>(1, '1', 1.0, true, [1], ' 1 '), wrongVersion, anyValue);
const dangerousKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty');

type Field = 'own' | 'other' | 'random';
const incidentField = fc.constantFrom<Field>('own', 'other', 'random');

interface PressPlan {
  person: 'outsider' | 'operator';
  host: (typeof HOSTS)[number];
  action?: unknown;
  v?: unknown;
  incident?: Field;
  randomIncident: unknown;
  extra: Array<[string, unknown]>;
}

const plan: fc.Arbitrary<PressPlan> = fc.record(
  {
    person: fc.constantFrom('outsider', 'operator'),
    host: fc.constantFrom(...HOSTS),
    action: verb,
    v: anyVersion,
    incident: incidentField,
    randomIncident: fc.oneof(fc.string({ maxLength: 64 }), anyValue),
    extra: fc.array(fc.tuple(fc.oneof(dangerousKeys, fc.string({ maxLength: 10 })), anyValue), { maxLength: 4 }),
  },
  { requiredKeys: ['person', 'host', 'randomIncident', 'extra'] },
);

/**
 * The `inputs` object, built with own properties only (so `__proto__` is a key, as it is in the
 * JSON Webex sends). An operator's press is made invalid on purpose: acting is not under test.
 */
function inputsOf(p: PressPlan, wrongV: unknown): Record<string, unknown> {
  const other = HOSTS.find((h) => h !== p.host) ?? p.host;
  const incidentId =
    p.incident === 'own' ? incidentOf.get(p.host) : p.incident === 'other' ? incidentOf.get(other) : p.randomIncident;
  const entries: Array<[string, unknown]> = [...p.extra];
  if ('action' in p) entries.push(['action', p.action]);
  if ('v' in p) entries.push(['v', p.person === 'operator' && p.incident === 'own' ? wrongV : p.v]);
  if ('incident' in p) entries.push(['incidentId', incidentId]);
  return Object.fromEntries(entries);
}

describe('arbitrary card presses', () => {
  it('answer every press clearly, ignore replays, and change nothing upstream', async () => {
    const before = upstreamState();
    const writesBefore = upstreamWrites();
    const handled: Delivery[] = [];
    let pressCount = 0;

    await fc.assert(
      fc.asyncProperty(plan, wrongVersion, async (p, wrongV) => {
        const card = cardFor(p.host);
        if (!card) throw new Error(`no card for ${p.host}`);
        const person: SimPerson = p.person === 'operator' ? world.operator : world.outsider;
        const inputs = inputsOf(p, wrongV);
        const answered = answersUnder(card.id).length;
        const { deliveries } = await world.webex.submitCard({ personId: person.id, messageId: card.id, inputs });
        pressCount += 1;
        handled.push(...deliveries.filter((d) => d.resource === 'attachmentActions'));
        const answer = await eventually(
          () => answersUnder(card.id)[answered],
          10_000,
          `an answer to ${JSON.stringify(inputs).slice(0, 200)}`,
        );
        const text = answer.markdown ?? '';
        expect(bytes(text)).toBeLessThanOrEqual(7439);
        expect(
          REFUSALS.some((r) => r.test(text)),
          `unexpected answer ${JSON.stringify(text)} to ${JSON.stringify(inputs).slice(0, 300)}`,
        ).toBe(true);
      }),
      { seed: FC_SEED, numRuns: 50, endOnFailure: true },
    );

    // Webex delivering some of those presses again: nothing is answered twice.
    const repliesBefore = HOSTS.map((h) => answersUnder(cardFor(h)?.id ?? '').length);
    for (const delivery of handled.slice(0, 8)) {
      const signature = world.webex.sign(delivery.webhookId, delivery.body);
      const [again] = await world.webex.deliverRaw(delivery.webhookId, delivery.body, {
        'x-spark-signature': signature,
      });
      expect(again?.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(HOSTS.map((h) => answersUnder(cardFor(h)?.id ?? '').length)).toEqual(repliesBefore);
    expect(repliesBefore.reduce((a, b) => a + b, 0)).toBe(pressCount);

    // Nothing reached the SMC or XDR, the cards are as they were, and the bot is fine.
    expect(upstreamState()).toBe(before);
    expect(upstreamWrites()).toEqual(writesBefore);
    for (const host of HOSTS) {
      expect(world.cards().filter((m) => cardText(m).includes(host))).toHaveLength(1);
      expect(cardText(cardFor(host) as WebexMessage)).not.toMatch(/Acknowledged|Blocked|Tagged|Escalated/);
    }
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(Object.prototype).not.toHaveProperty('action');
    expect(Object.prototype).not.toHaveProperty('incidentId');
  });
});
