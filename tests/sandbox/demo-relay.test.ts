/**
 * The demo shows flow context and what XDR gets from the relay: alert cards carry "Top talkers",
 * and the SMC host page links to the relay's real answers, called with a JWT the XDR simulator signed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../sandbox/demo/index.js';
import { cardText, eventually } from '../helpers/world.js';

let demo: Demo;
const dir = mkdtempSync(join(tmpdir(), 'sna-chatops-demo-relay-'));

beforeAll(async () => {
  demo = await startDemo({
    freePorts: true,
    pace: 'fast',
    calm: false,
    logLevel: 'silent',
    stateFile: join(dir, 'demo.sqlite'),
  });
}, 60_000);
afterAll(async () => {
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo', () => {
  it("puts the host's top talkers on alert cards", async () => {
    const card = await eventually(
      () =>
        demo.webex
          .messagesIn(demo.alertRoom.id)
          .find((m) => cardText(m).includes('10.20.4.17') && cardText(m).includes('Top talkers')),
      45_000,
      'the card of 10.20.4.17 with top talkers',
    );
    expect(cardText(card)).toMatch(/Top talkers\n203\.0\.113\.45:443\/tcp/);
  });

  it("links the SMC host page to what XDR gets from the bot's relay, and shows it", async () => {
    await demo.scenario.opening;
    const host = await (await fetch(new URL('smc/host/10.20.4.17', demo.url))).text();
    expect(host).toContain('href="/xdr/relay/10.20.4.17"');
    const page = await (await fetch(new URL('xdr/relay/10.20.4.17', demo.url))).text();
    expect(page).toContain('POST /relay/observe/observables <small>200</small>');
    expect(page).toContain('&quot;relation&quot;: &quot;Connected_To&quot;');
    expect(page).toContain('Open in SNA');
    expect(page).toContain('sna-quarantine-add');
    expect(page).toContain('analyst@soc.example');
  });
});
