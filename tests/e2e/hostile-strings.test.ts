/**
 * Nothing a person or an upstream typed is rendered as markup: every command that echoes input
 * (unknown commands, host-group names, observables, people, reasons, notes, request ids, audit
 * entries, a person's display name, a host group's name as the SMC returns it) answers without a
 * link, mention, heading or list item that the bot did not write itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardText, createWorld, eventually, startBot } from '../helpers/world.js';

/** Every hostile payload carries this marker, so markup it made can be told from the bot's own. */
const M = 'PWN';
const PAYLOADS = [
  `[${M}](https://${M}.example/x)`,
  `<@all> ${M}`,
  `<@personEmail:boss@soc.example|${M}>`,
  `&lt;@all&gt;${M}`,
  `${M}\n# ${M} heading`,
  `${M}\n- ${M} item\n1. ${M} two`,
  `https://${M}.example/login`,
  `www.${M}.example`,
  `<a href="https://${M}.example">${M}</a>`,
  `<https://${M}.example>`,
];

/** The markup in `text` that carries the marker: what the bot must never render. */
export function foreignMarkup(text: string): string[] {
  // Escaped characters render literally; replace them so they cannot form syntax.
  const plain = text.replace(/\\[\s\S]/g, '·');
  const found: string[] = [];
  const patterns: Array<[string, RegExp]> = [
    // A link whose text, or whose destination's host, came from the payload (the bot's own pivot
    // links carry the observable in their query string only).
    ['link', new RegExp(`\\[[^\\]\\n]*${M}[^\\]\\n]*\\]\\(|\\]\\(\\s*(?:[a-z]+:)?\\/\\/[^/)\\s]*${M}`, 'i')],
    ['mention', /<@/],
    ['html or autolink', /<(?:a\s|https?:|mailto:)/i],
    ['url', new RegExp(`\\b(?:https?|ftp):\\/\\/[^\\s/)\\]]*${M}`, 'i')],
    ['www link', new RegExp(`\\bwww\\.[^\\s/)\\]]*${M}`, 'i')],
    ['heading or list item', new RegExp(`^\\s*(?:#{1,6}|[-*+]|\\d+[.)])\\s+${M}`, 'im')],
  ];
  // The bot's own links (pivots) may carry the observable in their destination; once links are
  // judged, destinations are set aside so the other checks look at rendered text only.
  const rendered = plain.replace(/\]\([^)\n]*\)/g, ']');
  for (const [kind, pattern] of patterns) {
    const match = pattern.exec(kind === 'link' ? plain : rendered);
    if (match) found.push(`${kind}: ${match[0]}`);
  }
  return found;
}

let world: World;
let app: App;
let hostile: SimPerson;
let incidentId: string;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(
    world.env({
      AUTO_ENRICH: 'false',
      ENRICH_PER_PERSON_PER_MINUTE: '1000',
      // The SMC answers with this name for the quarantine group it creates.
      SNA_TAG_NAME: `Quarantine [${M}](https://${M}.example) <@all>`,
    }),
  );
  hostile = world.webex.addPerson({ displayName: `${M} <@all> [x](https://${M}.example)`, email: 'pwn@soc.example' });
  const added = await fetch(`${world.webex.apiUrl}/memberships`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.webex.tokenFor(world.operator.id)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ roomId: world.alertRoom.id, personId: hostile.id }),
  });
  if (!added.ok) throw new Error(`could not add the hostile person to the alert space (${added.status})`);
  world.smc.addEvent({ typeId: 16, sourceIp: '10.77.0.1', targetIp: '203.0.113.77' });
  const card = await eventually(() => world.cards().find((m) => cardText(m).includes('10.77.0.1')), 15_000, 'a card');
  expect(card).toBeDefined();
  incidentId = (await app.services.incidents.list(10))[0]?.id ?? '';
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

async function say(text: string, person: SimPerson = world.responder): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(
    () =>
      world.webex
        .messagesIn(world.alertRoom.id)
        .find((m) => m.personId === world.webex.bot.id && m.parentId === message.id),
    10_000,
    `the answer to ${JSON.stringify(text)}`,
  );
}

describe('the detector', () => {
  it('sees markup a payload would make when echoed raw, and none once escaped', () => {
    // (An HTML entity is not markup by itself; the payload stays in the list in case a renderer decodes it.)
    for (const payload of PAYLOADS.filter((p) => !p.startsWith('&')))
      expect(foreignMarkup(`I don't know ${payload}`), payload).not.toEqual([]);
    expect(
      foreignMarkup('- 2026-12-01 · Jane · tag host:10.0.0.1 · **done** — \\[PWN\\]\\(hxxps[:]//PWN.example)'),
    ).toEqual([]);
  });
});

describe('replies that echo what was typed', () => {
  const commands = (p: string) => [
    `/${p.replace(/\s+/g, '')}`,
    `/assign ${incidentId} ${p}`,
    `/resolve ${incidentId} ${p}`,
    `/history https://${M}.example/${encodeURIComponent(p)}`,
    `/history ${M}.example`,
    `/tag 10.77.0.2 ${p}`,
    `/untag 10.77.0.2 ${p}`,
    `/block ${p}`,
    `/block 203.0.113.0/24 ${p}`,
    `/snooze ${p} 1h`,
    `/approve ${p}`,
    `/incident ${p}`,
    `/ack ${p}`,
    `/enrich ${p}`,
    `/unblock ${p}`,
    `/audit ${p}`,
  ];

  it.each(PAYLOADS)('carry no markup from %j', async (payload) => {
    // The commands of one payload are sent at once; each answer is checked on its own.
    const answers = await Promise.all(commands(payload).map(async (text) => ({ text, answer: await say(text) })));
    for (const { text, answer } of answers) {
      expect(
        foreignMarkup(answer.markdown ?? ''),
        `${text}\n→ ${answer.markdown}\n${foreignMarkup(answer.markdown ?? '').join('\n')}`,
      ).toEqual([]);
    }
  });

  it('carry no markup from a display name, an audit trail or an upstream host-group name', async () => {
    await say(`/ack ${incidentId}`, hostile);
    await say(`/block 203.0.113.78`, hostile);
    for (const text of [`/ack ${incidentId}`, '/audit 50', '/history 203.0.113.78', '/tag 10.77.0.3']) {
      const answer = await say(text);
      expect(foreignMarkup(answer.markdown ?? ''), `${text}\n→ ${answer.markdown}`).toEqual([]);
    }
    const tagged = await say('/tag 10.77.0.4');
    expect(tagged.markdown).toContain('Tagged 10.77.0.4 in **Quarantine');
  });
});
