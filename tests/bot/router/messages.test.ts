/**
 * Chat messages through the real Router, command registry and services over memory://, with Webex
 * recorded at the bot's conversation seam (tests/helpers/chat.ts): how a message becomes a command,
 * what an unknown or malformed one is told, and that a replayed or stale message does nothing.
 * No upstream is configured here: nothing these answers need leaves the bot.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT, type Chat, PEOPLE, startChat } from '../../helpers/chat.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat();
});
afterEach(async () => {
  await chat.close();
});

const { operator, responder } = PEOPLE;
const HEADINGS = {
  everyone: 'Anyone',
  operator: 'Operators (BOT_OPERATORS)',
  responder: 'Responders (BOT_RESPONDERS)',
};

describe('/help', () => {
  it.each(['/help', 'help', '/?', '/HELP', 'SNA Bot help', 'SNA Bot, /help', 'SNA /help'])(
    'answers %j with every registered command, under the heading of who may use it',
    async (text) => {
      const lines = (await chat.say(operator, text)).text.split('\n');
      const { commands } = chat.services;
      // The registry is the one the router dispatches from; a few commands nobody may lose are named.
      expect(commands.map((c) => c.name)).toEqual(
        expect.arrayContaining(['help', 'status', 'enrich', 'ack', 'snooze', 'block', 'tag']),
      );
      for (const command of commands) {
        const synopsis = `\`/${command.name}${command.usage ? ` ${command.usage}` : ''}\` — ${command.summary}`;
        const at = lines.findIndex((line) => line === `- ${synopsis}`);
        expect(at, `/${command.name} in the help`).toBeGreaterThan(0);
        const heading = lines.slice(0, at).findLast((line) => /^\*\*[^*]+\*\*$/.test(line));
        expect(heading, `/${command.name}'s heading`).toBe(`**${HEADINGS[command.audience]}**`);
      }
      expect(lines.join('\n')).not.toContain("You are not one of this bot's operators");
    },
  );

  it('reads a mention by the name the person typed (the html mention), not only the display name', async () => {
    const html = `<p><spark-mention data-object-type="person" data-object-id="${BOT.id}">Alerts</spark-mention> help</p>`;
    const answer = await chat.say(operator, 'Alerts help', { html });
    expect(answer.text).toContain('`/status`');
  });
});

describe('dispatch', () => {
  it('runs a command by its alias, and names the command itself in the usage', async () => {
    const answer = await chat.say(operator, '/lookup');
    expect(answer.text).toContain('`/enrich` needs something to look up');
    expect(answer.text).toContain('Usage: `/enrich <ip|domain|url|hash|email or pasted text>`');
  });

  it('runs /talkers as /flows (and says what it needs when the SMC is not configured)', async () => {
    const answer = await chat.say(operator, '/talkers 10.0.0.1');
    expect(answer.text).toBe('Flows need the SMC: set SNA_URL, SNA_USERNAME and SNA_PASSWORD.');
  });

  it('greets a bare mention with a pointer to /help', async () => {
    expect((await chat.say(operator, 'SNA Bot')).text).toBe('Hi! Send `/help` to see what I can do.');
  });

  it.each([
    ['/stauts', '/status'],
    ['/hlep', '/help'],
    ['/incidnets', '/incidents'],
    ['lokup', '/lookup'],
  ])('suggests the closest command for %j', async (typo, meant) => {
    const answer = await chat.say(operator, typo);
    expect(answer.text).toBe(
      `I don't know "/${typo.replace(/^\//, '')}". Did you mean \`${meant}\`? Send \`/help\` for the list.`,
    );
  });

  it('suggests nothing for a word far from every command, and echoes it escaped', async () => {
    const answer = await chat.say(operator, '/**frobnicate**');
    expect(answer.text).toMatch(/^I don't know "\/\\\*\\\*frobnicate\\\*\\\*"\. Send `\/help` for the list\.$/);
  });
});

describe('bad input gets a clear message and the usage', () => {
  it.each([
    ['/status now please', '`/status` takes no arguments. Usage: `/status`'],
    ['/tag not-an-ip', '`/tag` needs an IP address, and "not-an-ip" is not one. Usage: `/tag <ip> [host group]`'],
    ['/ack nope', '`/ack` needs the 8-character incident id from the card. Usage: `/ack <id>`'],
    [
      '/snooze 10.0.0.1 forever',
      '`/snooze` needs a duration like `30m`, `2h` or `1d` after the target. Usage: `/snooze <host ip|incident id> <duration like 2h>`',
    ],
    [
      '/snooze 10.0.0.1 31d',
      '`/snooze` snoozes for at most 30d. Usage: `/snooze <host ip|incident id> <duration like 2h>`',
    ],
    ['/audit 500', '`/audit` needs a number from 1 to 50. Usage: `/audit [n]`'],
    ['/incidents closed', '`/incidents` takes `open` or `all`. Usage: `/incidents [open|all]`'],
  ])('%s', async (text, expected) => {
    expect((await chat.say(operator, text)).text).toBe(expected);
  });

  it('escapes what it echoes back', async () => {
    const answer = await chat.say(operator, '/tag **[x](http://evil.example)**');
    expect(answer.text).not.toContain('**[x]');
    expect(answer.text).not.toContain('http://evil.example');
    expect(answer.text).toContain('Usage: `/tag <ip> [host group]`');
  });

  it('refuses an over-broad block with the reason, before anything else', async () => {
    expect((await chat.say(responder, '/block 203.0.113.0/24')).text).toContain(
      '`/block` blocks single observables; "203.0.113.0/24" is a range, too broad.',
    );
  });

  it('names an unknown incident and where to find the list', async () => {
    expect((await chat.say(operator, '/ack abcd2345')).text).toBe(
      'There is no incident "abcd2345". Send `/incidents` for the list.',
    );
  });

  it('says what to configure when a command needs an upstream that is not set', async () => {
    expect((await chat.say(operator, '/tag 10.0.0.1')).text).toBe(
      'Tagging needs the SMC: set SNA_URL, SNA_USERNAME and SNA_PASSWORD.',
    );
    expect((await chat.say(responder, '/block 203.0.113.5')).text).toBe(
      'Blocking needs Cisco XDR: set XDR_CLIENT_ID and XDR_CLIENT_SECRET.',
    );
  });
});

describe('replays and stale messages', () => {
  it('answers a message delivered twice once', async () => {
    expect((await chat.say(operator, '/snooze 10.0.0.9 1h', { id: 'message-twice' })).texts).toHaveLength(1);
    expect((await chat.say(operator, '/snooze 10.0.0.9 1h', { id: 'message-twice' })).answers).toEqual([]);
  });

  it('ignores the replay half an hour later (Webex signs no timestamp; a captured webhook can come back)', async () => {
    const created = chat.clock.now().toISOString();
    expect((await chat.say(operator, '/snooze 10.0.0.7 1h', { id: 'message-early', created })).texts).toHaveLength(1);
    chat.clock.advance(30 * 60_000);
    expect((await chat.say(operator, '/snooze 10.0.0.7 1h', { id: 'message-early', created })).answers).toEqual([]);
  });

  it('does not act on a message created over an hour ago (a late replay), even the first time', async () => {
    const created = chat.clock.now().toISOString();
    chat.clock.advance(61 * 60_000);
    expect((await chat.say(operator, '/snooze 10.0.0.8 1h', { created })).answers).toEqual([]);
    expect(await chat.services.incidents.hostSnoozes.until('10.0.0.8', chat.clock.now())).toBeUndefined();
  });
});
