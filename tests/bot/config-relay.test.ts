import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

const minimal = { WEBEX_BOT_TOKEN: 'bot-token-that-is-secret', WEBEX_ALERT_ROOM_ID: 'room-1' };
const sna = { SNA_URL: 'https://smc.corp.example', SNA_USERNAME: 'api', SNA_PASSWORD: 'secret-password' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('relay and flow configuration', () => {
  it('keeps the relay off by default, and flow context on only when the SMC is configured', () => {
    expect(loadConfig(minimal).relay).toBeUndefined();
    expect(loadConfig(minimal).flows).toEqual({ context: false, queriesPerMinute: 6, recordLimit: 500 });
    expect(loadConfig({ ...minimal, ...sna }).flows.context).toBe(true);
    expect(loadConfig({ ...minimal, ...sna, SNA_FLOW_CONTEXT: 'false' }).flows.context).toBe(false);
  });

  it('needs an audience and the SMC once the relay is enabled', () => {
    expect(problemsOf({ ...minimal, RELAY_ENABLED: 'true' })).toEqual([
      'RELAY_AUDIENCE is required when RELAY_ENABLED=true (the relay URL as configured in XDR)',
      'SNA_URL is required when RELAY_ENABLED=true (the relay answers from the SMC)',
    ]);
  });

  it("allows only the region's IROH host as jwks_host and fetches its keys unless RELAY_JWKS_URL says otherwise", () => {
    const env = { ...minimal, ...sna, RELAY_ENABLED: 'true', RELAY_AUDIENCE: 'https://bot.corp.example/relay/' };
    expect(loadConfig({ ...env, XDR_REGION: 'eu' }).relay).toMatchObject({
      audience: 'https://bot.corp.example/relay',
      allowedJwksHosts: ['visibility.eu.amp.cisco.com'],
      jwksUrl: 'https://visibility.eu.amp.cisco.com/.well-known/jwks',
      userClaims: ['email', 'user', 'sub'],
      errorStatus: 'standard',
    });
    expect(loadConfig({ ...env, RELAY_JWKS_URL: 'http://127.0.0.1:9000/.well-known/jwks' }).relay).toMatchObject({
      allowedJwksHosts: ['visibility.amp.cisco.com'],
      jwksUrl: 'http://127.0.0.1:9000/.well-known/jwks',
    });
  });
});
