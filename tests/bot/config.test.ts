import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

const minimal = {
  WEBEX_BOT_TOKEN: 'bot-token-that-is-secret',
  WEBEX_ALERT_ROOM_ID: 'room-1',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config.webex.apiUrl).toBe('https://webexapis.com/v1');
    expect(config.webex.u2cUrl).toBeUndefined();
    expect(config.webex.webhookUrl).toBeUndefined();
    expect(config.port).toBe(8080);
    expect(config.stateUrl).toBe('sqlite://./data/state.sqlite');
    expect(config.sna).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.outboxBackoffMs).toBe(1000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads a poll cadence with a fraction of a second, down to 0.1 s', () => {
    const sna = { ...minimal, SNA_URL: 'https://smc.example.com', SNA_USERNAME: 'api', SNA_PASSWORD: 'pw' };
    expect(loadConfig({ ...sna, SNA_POLL_SECONDS: '0.25' }).sna?.pollSeconds).toBe(0.25);
    expect(problemsOf({ ...sna, SNA_POLL_SECONDS: '0.05' })).toEqual([expect.stringMatching(/^SNA_POLL_SECONDS /)]);
    expect(problemsOf({ ...sna, SNA_POLL_SECONDS: 'often' })).toEqual([
      expect.stringMatching(/^SNA_POLL_SECONDS must be a number of seconds/),
    ]);
  });

  it('reads the outbox backoff in milliseconds, within 10 ms to 60 s', () => {
    expect(loadConfig({ ...minimal, OUTBOX_BACKOFF_MS: '150' }).outboxBackoffMs).toBe(150);
    expect(problemsOf({ ...minimal, OUTBOX_BACKOFF_MS: '5' })).toEqual([expect.stringMatching(/^OUTBOX_BACKOFF_MS /)]);
  });

  it('treats a blank WEBEX_WEBHOOK_URL (as .env.example has it) as unset: websocket mode, no secret needed', () => {
    const config = loadConfig({ ...minimal, WEBEX_WEBHOOK_URL: '', WEBEX_WEBHOOK_SECRET: '', SNA_URL: ' ' });
    expect(config.webex.webhookUrl).toBeUndefined();
    expect(config.webex.webhookSecret).toBeUndefined();
    expect(config.sna).toBeUndefined();
  });

  it('reads SNA settings, splitting event types and defaulting the poll cadence', () => {
    const config = loadConfig({
      ...minimal,
      SNA_URL: 'https://smc.example.com/',
      SNA_USERNAME: 'api',
      SNA_PASSWORD: 'pw',
      SNA_EVENT_TYPES: 'High Total Traffic, 310 ,',
      SNA_TLS_VERIFY: 'false',
    });
    expect(config.sna).toMatchObject({
      url: 'https://smc.example.com',
      eventTypes: ['High Total Traffic', '310'],
      pollSeconds: 60,
      lookbackMinutes: 60,
      tlsVerify: false,
      tenantId: undefined,
      hostUrlTemplate: 'https://smc.example.com/lc-landing-page/smc.html#/host/{ip}',
    });
  });

  it('derives the service-catalog URL when the API points somewhere other than Webex', () => {
    const config = loadConfig({ ...minimal, WEBEX_API_URL: 'http://127.0.0.1:9000/v1' });
    expect(config.webex.u2cUrl).toBe('http://127.0.0.1:9000/u2c/api/v1');
  });

  it('loads the messaging-only Webex SDK unless told otherwise, and names the choices for a bad value', () => {
    expect(loadConfig(minimal).webex.sdkPlugins).toBe('messaging');
    expect(loadConfig({ ...minimal, WEBEX_SDK_PLUGINS: 'all' }).webex.sdkPlugins).toBe('all');
    const [problem] = problemsOf({ ...minimal, WEBEX_SDK_PLUGINS: 'meetings' });
    expect(problem).toMatch(/^WEBEX_SDK_PLUGINS .*"messaging".*"all"/);
  });

  it('replaces alert cards, reading the obsolete auto and edit as replace with one warning, and names the choices for a bad value', () => {
    expect(loadConfig(minimal).warnings).toEqual([]);
    expect(loadConfig({ ...minimal, WEBEX_CARD_UPDATES: 'replace' }).warnings).toEqual([]);
    for (const obsolete of ['auto', 'edit']) {
      const [warning, ...more] = loadConfig({ ...minimal, WEBEX_CARD_UPDATES: obsolete }).warnings;
      expect(more).toEqual([]);
      expect(warning).toMatch(new RegExp(`^WEBEX_CARD_UPDATES=${obsolete} is obsolete: .*always replaced`));
    }
    const [problem] = problemsOf({ ...minimal, WEBEX_CARD_UPDATES: 'patch' });
    expect(problem).toMatch(/^WEBEX_CARD_UPDATES .*"replace".*"auto".*"edit"/);
  });

  it('holds a new alert card at most 800 ms for its verdict and top talkers unless told otherwise (0: post at once)', () => {
    expect(loadConfig(minimal).alertHoldMs).toBe(800);
    expect(loadConfig({ ...minimal, ALERT_HOLD_MS: '0' }).alertHoldMs).toBe(0);
    expect(loadConfig({ ...minimal, ALERT_HOLD_MS: '2500' }).alertHoldMs).toBe(2500);
    expect(problemsOf({ ...minimal, ALERT_HOLD_MS: '20000' })).toEqual([
      expect.stringMatching(/^ALERT_HOLD_MS must be at most 10000/),
    ]);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      WEBEX_WEBHOOK_URL: 'not a url',
      PORT: 'eighty',
      SNA_URL: 'https://smc.example.com',
      SNA_POLL_SECONDS: '0',
      STATE_URL: 'postgres://x',
      LOG_LEVEL: 'loud',
    });
    const vars = problems.map((p) => p.split(' ')[0]);
    expect(vars).toEqual(
      expect.arrayContaining([
        'WEBEX_BOT_TOKEN',
        'WEBEX_ALERT_ROOM_ID',
        'WEBEX_WEBHOOK_URL',
        'PORT',
        'SNA_POLL_SECONDS',
        'STATE_URL',
        'LOG_LEVEL',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(7);
  });

  it('requires a webhook secret of at least 16 characters in webhook mode', () => {
    expect(problemsOf({ ...minimal, WEBEX_WEBHOOK_URL: 'https://bot.example.com/webex' })).toEqual([
      'WEBEX_WEBHOOK_SECRET is required when WEBEX_WEBHOOK_URL is set (webhook mode)',
    ]);
    expect(
      problemsOf({ ...minimal, WEBEX_WEBHOOK_URL: 'https://bot.example.com/webex', WEBEX_WEBHOOK_SECRET: 'short' }),
    ).toEqual(['WEBEX_WEBHOOK_SECRET must be at least 16 characters']);
  });

  it('requires SMC credentials once SNA_URL is set', () => {
    expect(problemsOf({ ...minimal, SNA_URL: 'https://smc.example.com' })).toEqual([
      'SNA_USERNAME is required when SNA_URL is set',
      'SNA_PASSWORD is required when SNA_URL is set',
    ]);
  });

  it('never echoes secret values in its problems', () => {
    const secret = 'sup3r-s3cret-value';
    const problems = problemsOf({
      WEBEX_BOT_TOKEN: secret,
      WEBEX_WEBHOOK_URL: 'https://bot.example.com/x',
      WEBEX_WEBHOOK_SECRET: 'short',
      SNA_URL: 'https://smc',
      SNA_PASSWORD: secret,
      PORT: secret,
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain(secret);
  });
});
