/**
 * The local web space, driven by a real Chromium against the whole demo (simulators, the real
 * bot, the scenario) started through `startDemo` on free ports with a fast scenario. Also the
 * page's Markdown renderer, which must never let message text become markup.
 *
 * Screenshots go to test-artifacts/screenshots/ on every run, and to docs/screenshots/ when
 * UPDATE_SCREENSHOTS=1. Without Chromium (CHROMIUM_PATH or /usr/bin/chromium) the browser tests
 * are skipped loudly, except under CI, where that is a failure.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, SCENARIO_PEERS, startDemo } from '../../sandbox/demo/index.js';
import { renderMarkdown } from '../../sandbox/web-space/page/markdown.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { cardText, eventually } from '../helpers/world.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (path): path is string => typeof path === 'string' && path !== '' && existsSync(path),
);
const IN_CI = Boolean(process.env.CI);
const DESKTOP = { width: 1280, height: 800 };
/** Tall enough for the blocked and tagged alert card and the verdict card under it. */
const DESKTOP_SCREENSHOT = { width: 1280, height: 1240 };
const PHONE = { width: 390, height: 844 };
/** Opening hosts whose cards the tests look at (see sandbox/demo/scenario.ts). */
const REPEATED_HOST = '10.20.4.17';
const ACK_HOST = '10.10.3.12';
const OUTSIDER_HOST = '10.20.9.54';
const OPENING_INCIDENTS = 6;
/** A peer every enrichment source calls malicious, asked about by name (only some sources take names). */
const MALICIOUS_DOMAIN = SCENARIO_PEERS.find((peer) => peer.verdict === 'malicious')?.domain ?? '';
/** Verdict sources that have something to say about a domain. */
const DOMAIN_SOURCES = ['Cisco XDR', 'Umbrella', 'VirusTotal'] as const;
/** For every wait on the page: a 2-core machine running the whole demo can be slow. */
const SLOW = { timeout: 30_000, interval: 100 };

if (!CHROMIUM && !IN_CI) {
  console.warn(
    'SKIPPING browser tests: no Chromium found (set CHROMIUM_PATH or install /usr/bin/chromium). ' +
      'The local web space is NOT being tested.',
  );
}

describe('the web space Markdown renderer', () => {
  it('renders bold, italics, code, lists and http(s) links', () => {
    const html = renderMarkdown('**SNA** is *up*\n- `/status`\n- [docs](https://example.com/a?b=1&c=2)');
    expect(html).toBe(
      '<p><strong>SNA</strong> is <em>up</em></p><ul><li><code>/status</code></li>' +
        '<li><a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a></li></ul>',
    );
  });

  it('escapes every tag and attribute an attacker could put in a message', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> "quoted" `<b>` **<script>**');
    expect(html).not.toMatch(/<(img|script|b)\b/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot;');
  });

  it('links only http and https URLs', () => {
    const html = renderMarkdown('[x](javascript:alert(1)) [y](data:text/html,hi) [z](http://ok.example/)');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('href="data');
    expect(html).toContain('href="http://ok.example/"');
  });

  it('decodes character entities the bot writes, then escapes them again', () => {
    expect(renderMarkdown('`/block &lt;ip&gt;` &amp; &#60;b&#62;')).toBe(
      '<p><code>/block &lt;ip&gt;</code> &amp; &lt;b&gt;</p>',
    );
  });

  it('shows Webex mentions as names, escaped', () => {
    const html = renderMarkdown('<@personId:abc|SNA Bot> hi <@personEmail:x@y.example> <@all>', {
      mentionName: (_kind, value) => (value === 'x@y.example' ? '<Eve>' : undefined),
    });
    expect(html).toBe(
      '<p><span class="mention">SNA Bot</span> hi <span class="mention">&lt;Eve&gt;</span> <span class="mention">All</span></p>',
    );
  });
});

describe.runIf(IN_CI && !CHROMIUM)('browser tests under CI', () => {
  it('have a Chromium to run in', () => {
    throw new Error('CI is set but no Chromium was found (CHROMIUM_PATH or /usr/bin/chromium): refusing to skip');
  });
});

/** One session, step by step: each test starts where the previous one left the page. */
describe.runIf(CHROMIUM)('the local web space in Chromium', { timeout: 90_000 }, () => {
  let demo: Demo;
  let context: BrowserContext;
  let page: Page;
  const dirs: string[] = [];

  beforeAll(async () => {
    const stateDir = tempDir('sna-demo-state-');
    demo = await startDemo({
      freePorts: true,
      pace: 'fast',
      calm: false,
      pollSeconds: 1,
      stateFile: join(stateDir, 'demo.sqlite'),
      logLevel: 'silent',
      // The demo keeps to VirusTotal's 4 a minute and to 6 flow queries a minute for top talkers; here
      // every source answers at once, so cards and the screenshots do not depend on where in the
      // minute the test runs (and the opening cards are not held back waiting for flow queries).
      botEnv: { VIRUSTOTAL_PER_MINUTE: '1000', SNA_FLOW_QUERIES_PER_MINUTE: '600' },
    });
    await demo.scenario.opening;
    await eventually(openingSettled, 60_000, 'a card for every opening incident and an empty outbox');
    context = await chromium.launchPersistentContext(tempDir('sna-demo-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: DESKTOP,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.setDefaultTimeout(30_000);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(demo.url);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await demo?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  function tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  }

  function alertCards(): WebexMessage[] {
    return demo.webex.messagesIn(demo.alertRoom.id).filter((m) => (m.attachments?.length ?? 0) > 0);
  }

  /** Every opening card posted with its peer verdict (a late verdict updates a card), and nothing left to send. */
  async function openingSettled(): Promise<boolean> {
    const cards = alertCards();
    const repeated = cards.find((m) => cardText(m).includes(REPEATED_HOST));
    return (
      cards.length === OPENING_INCIDENTS &&
      cards.every((m) => cardText(m).includes('Peer verdict')) &&
      repeated !== undefined &&
      cardText(repeated).includes('2 events') &&
      (await demo.bot.services.outbox.size()) === 0
    );
  }

  /**
   * The rendered card (an Adaptive Card built by the library) of the incident on `host`. The
   * newest one: while the bot replaces a card, the old one lingers for a moment above the new.
   */
  function cardOf(host: string, on: Page = page): Locator {
    return on.locator('article.message.has-card', { hasText: host }).locator('.ac-adaptiveCard').last();
  }

  function panelItems(panelId: string): Promise<string> {
    return page.locator(`[data-panel-id="${panelId}"] .panel-items`).innerText();
  }

  async function pressOnCard(host: string, button: string): Promise<void> {
    const card = cardOf(host);
    await card.scrollIntoViewIfNeeded();
    await card.getByRole('button', { name: button }).click();
  }

  it('shows each alert as an Adaptive Card with its host IP, live', async () => {
    await expect.poll(() => page.locator('article.message.has-card', { hasText: REPEATED_HOST }).count(), SLOW).toBe(1);
    await cardOf(REPEATED_HOST).scrollIntoViewIfNeeded();
    await expect.poll(() => cardOf(REPEATED_HOST).isVisible(), SLOW).toBe(true);
    expect(await cardOf(REPEATED_HOST).innerText()).toContain('2 events');
    expect(await cardOf(REPEATED_HOST).innerText()).toMatch(
      /Peer verdict: Malicious — Cisco XDR: malicious · VirusTotal: malicious/,
    );
    await expect.poll(() => page.locator('article.message.has-card').count(), SLOW).toBe(OPENING_INCIDENTS);
    await expect.poll(() => page.locator('#live').innerText(), SLOW).toBe('Live');
  });

  it('shows "Acknowledged by Oli Operator" on the card once Oli presses Acknowledge', async () => {
    await page.selectOption('#identity', { label: 'Oli Operator · operator' });
    await pressOnCard(ACK_HOST, 'Acknowledge');
    await expect.poll(() => cardOf(ACK_HOST).innerText(), SLOW).toContain('Acknowledged by Oli Operator');
    expect(await cardOf(ACK_HOST).getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
  });

  it("threads the bot's answer under /status typed in the composer", async () => {
    await page.fill('#composer-input', '/status');
    await page.press('#composer-input', 'Enter');
    const thread = page.locator('li.thread', {
      has: page.locator('article.message:not(.reply)[data-sender="Oli Operator"]', { hasText: '/status' }),
    });
    const answer = thread.locator('.replies article.message.reply[data-sender="SNA Bot"]');
    await expect.poll(() => answer.innerText(), SLOW).toContain('SNA ChatOps status');
    expect(await answer.innerText()).toMatch(/Last poll: .*ok/);
  });

  it("shows the responder's Block in the XDR feed panel and Tag in the SMC quarantine panel", async () => {
    await page.selectOption('#identity', { label: 'Riley Responder · responder' });
    await pressOnCard(REPEATED_HOST, 'Block peer');
    await expect.poll(() => cardOf(REPEATED_HOST).innerText(), SLOW).toMatch(/Blocked \d/);
    const blocked = /Blocked (\S+)/.exec(await cardOf(REPEATED_HOST).innerText())?.[1] ?? '';
    await expect.poll(() => panelItems('xdr-blocks'), SLOW).toContain(blocked);

    await pressOnCard(REPEATED_HOST, 'Tag host');
    await expect.poll(() => cardOf(REPEATED_HOST).innerText(), SLOW).toContain('Tagged in');
    await expect.poll(() => panelItems('smc-quarantine'), SLOW).toContain(REPEATED_HOST);
  });

  it('threads a verdict card from several sources under /enrich <domain> typed in the composer', async () => {
    await page.fill('#composer-input', `/enrich ${MALICIOUS_DOMAIN}`);
    await page.press('#composer-input', 'Enter');
    const thread = page.locator('li.thread', {
      has: page.locator('article.message:not(.reply)[data-sender="Riley Responder"]', { hasText: '/enrich' }),
    });
    const verdict = thread.locator('.replies article.message.reply[data-sender="SNA Bot"] .ac-adaptiveCard');
    await expect.poll(() => verdict.count(), SLOW).toBe(1);
    const text = await verdict.innerText();
    expect(text).toContain('Malicious');
    expect(text).toContain(MALICIOUS_DOMAIN.replaceAll('.', '[.]'));
    const malicious = DOMAIN_SOURCES.filter((source) => new RegExp(`${source} · \\S* ?Malicious`).test(text));
    expect(malicious).toEqual(DOMAIN_SOURCES);
    expect(text).toContain('3 of 3 sources answered');

    // The screenshot: the alert card (peer verdict, blocked, tagged), then the question and its verdict.
    await page.setViewportSize(DESKTOP_SCREENSHOT);
    await page.mouse.move(0, 0);
    await cardOf(REPEATED_HOST).evaluate((el) => el.closest('li.thread')?.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'desktop');
    await page.setViewportSize(DESKTOP);
  });

  it("threads the bot's refusal under the card when the outsider presses Block peer", async () => {
    await page.selectOption('#identity', { label: 'Sam Outsider · outsider' });
    await pressOnCard(OUTSIDER_HOST, 'Block peer');
    const thread = page.locator('li.thread', { has: cardOf(OUTSIDER_HOST) });
    const refusal = thread.locator('.replies article.message.reply[data-sender="SNA Bot"]');
    await expect.poll(() => refusal.innerText(), SLOW).toMatch(/responders/i);
    expect(await cardOf(OUTSIDER_HOST).innerText()).not.toContain('Blocked');
  });

  it('still shows the card in the phone-width view', async () => {
    await page.click('#phone-toggle');
    const stage = await page.locator('#stage').boundingBox();
    expect(stage?.width).toBeLessThanOrEqual(400);
    const card = cardOf(REPEATED_HOST);
    await card.scrollIntoViewIfNeeded();
    await expect.poll(() => card.isVisible(), SLOW).toBe(true);
    const box = await card.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.width).toBeLessThanOrEqual(375);
    await page.click('#phone-toggle');

    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto(`${demo.url}?as=riley@soc.example`);
    const onPhone = cardOf(REPEATED_HOST, phone);
    await onPhone.waitFor();
    await onPhone.evaluate((el) => el.closest('article')?.scrollIntoView({ block: 'end' }));
    await expect.poll(() => onPhone.isVisible(), SLOW).toBe(true);
    await screenshot(phone, 'phone');
    await phone.close();
  });
});

/** Writes test-artifacts/screenshots/<name>.png, and docs/screenshots/<name>.png with UPDATE_SCREENSHOTS=1. */
async function screenshot(page: Page, name: string): Promise<void> {
  const targets = [join(REPO_ROOT, 'test-artifacts/screenshots')];
  if (process.env.UPDATE_SCREENSHOTS === '1') targets.push(join(REPO_ROOT, 'docs/screenshots'));
  const image = await page.screenshot({ animations: 'disabled' });
  for (const dir of targets) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.png`), image);
  }
}
