/**
 * `npm run smoke` against the simulators: run as a child process, exactly as an operator would,
 * with the bot's environment pointing at createWorld()'s Webex, SMC, XDR, Umbrella, Secure
 * Endpoint and VirusTotal.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../helpers/world.js';
import { SMOKE_BUNDLE } from '../../scripts/build.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

let world: World;

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

function smoke(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [SMOKE_BUNDLE, '--no-env-file'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1,localhost', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

const line = (output: string, name: string) => output.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';

describe('npm run smoke', () => {
  it('passes every check against the simulators and prints no secret', async () => {
    const env = world.env();
    const { code, output } = await smoke(env);

    expect(output).toContain('every configured check passed');
    expect(code).toBe(0);
    for (const name of [
      'config',
      'webex identity',
      'webex alert space',
      'smc login',
      'smc tenant',
      'smc event types',
      'smc logout',
      'xdr token',
      'xdr private intel',
      'umbrella',
      'secure endpoint',
      'virustotal',
    ]) {
      expect(line(output, name), name).toMatch(/ ok: /);
    }
    expect(line(output, 'webex identity')).toContain('SNA Bot');
    expect(line(output, 'webex identity')).toContain('type bot');
    expect(line(output, 'webex alert space')).toContain('SOC Alerts');
    expect(line(output, 'smc tenant')).toContain('102');
    expect(line(output, 'smc event types')).toContain('High Total Traffic = 16');
    // The SMC saw a login and a logout, and nothing that changes state.
    const smcCalls = world.smc.calls.map((c) => `${c.method} ${c.path}`);
    expect(smcCalls).toContain('POST /token/v2/authenticate');
    expect(smcCalls).toContain('DELETE /token');
    expect(smcCalls.filter((c) => /^(POST|PUT|DELETE) /.test(c))).toEqual([
      'POST /token/v2/authenticate',
      'DELETE /token',
    ]);
    for (const secret of [
      env.WEBEX_BOT_TOKEN,
      env.SNA_PASSWORD,
      env.XDR_CLIENT_SECRET,
      env.UMBRELLA_API_SECRET,
      env.SECURE_ENDPOINT_API_KEY,
      env.VIRUSTOTAL_API_KEY,
    ]) {
      expect(secret).toBeTruthy();
      expect(output).not.toContain(secret);
    }
  });

  it('fails with the reason on a wrong SMC password, without printing it', async () => {
    const password = 'Wrong-Passw0rd-for-smoke-test';
    const { code, output } = await smoke(world.env({ SNA_PASSWORD: password }));

    expect(code).toBe(1);
    expect(line(output, 'smc login')).toMatch(/failed: .*rejected the credentials of user "admin".*401/);
    expect(line(output, 'smc tenant')).toMatch(/skipped/);
    expect(line(output, 'webex identity')).toMatch(/ ok: /);
    expect(output).toContain('1 check(s) failed');
    expect(output).not.toContain(password);
  });

  it('skips what is not configured and still passes', async () => {
    const env = world.env();
    for (const name of Object.keys(env)) {
      if (/^(XDR_|UMBRELLA_|SECURE_ENDPOINT_|VIRUSTOTAL_|SNA_)/.test(name)) delete env[name];
    }
    const { code, output } = await smoke(env);

    expect(code).toBe(0);
    for (const name of ['smc login', 'xdr token', 'umbrella', 'secure endpoint', 'virustotal']) {
      expect(line(output, name), name).toContain('skipped: not configured');
    }
  });

  it('reports a bot that is not in the alert space', async () => {
    const other = await world.webex.createRoom({ title: 'Elsewhere', type: 'group', memberIds: [world.operator.id] });
    const { code, output } = await smoke(world.env({ WEBEX_ALERT_ROOM_ID: other.id }));

    expect(code).toBe(1);
    expect(line(output, 'webex alert space')).toMatch(/failed: the bot is not a member/);
  });

  it('lists every configuration problem and exits 2', async () => {
    const { code, output } = await smoke({ WEBEX_ALERT_ROOM_ID: world.alertRoom.id, SNA_URL: 'not a url' });

    expect(code).toBe(2);
    expect(output).toContain('WEBEX_BOT_TOKEN');
    expect(output).toContain('SNA_URL');
  });
});
