import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../../integrations/http.js';
import { SnaClient } from '../../integrations/sna/client.js';
import { createTlsFetch } from '../../integrations/tls-fetch.js';
import { type SmcSimulator, startSmcSimulator } from '../../sandbox/smc/index.js';

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function selfSigned(dir: string, name: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync(
    '/usr/bin/openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1'].concat([
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]),
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}

describe('createTlsFetch against an HTTPS SMC simulator with a self-signed certificate', () => {
  let dir: string;
  let sim: SmcSimulator;
  let simCert: string;
  let otherCert: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-fetch-'));
    const own = selfSigned(dir, 'sim-smc');
    simCert = own.certFile;
    otherCert = selfSigned(dir, 'unrelated').certFile;
    sim = await startSmcSimulator({ tls: { key: readFileSync(own.keyFile), cert: readFileSync(own.certFile) } });
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts the self-signed certificate when verification is off', async () => {
    const res = await createTlsFetch({ verify: false })(`${sim.url}/_sim/state`);
    expect(res.status).toBe(200);
  });

  it('lets the SNA client log in and list tenants over it when verification is off', async () => {
    const sna = new SnaClient({
      baseUrl: sim.url,
      username: sim.username,
      password: sim.password,
      fetch: createTlsFetch({ verify: false }),
    });
    await expect(sna.listTenants()).resolves.toEqual([{ id: 102, displayName: 'Sim Corp' }]);
    await sna.logout();
  });

  it('is the global fetch, and refuses the self-signed certificate, when verification is on without a CA file', async () => {
    const verifying = createTlsFetch({ verify: true });
    expect(verifying).toBe(globalThis.fetch);
    await expect(verifying(`${sim.url}/_sim/state`)).rejects.toMatchObject({
      cause: { code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) },
    });
  });

  it('surfaces the refused certificate as a NetworkError from the SNA client', async () => {
    const sna = new SnaClient({
      baseUrl: sim.url,
      username: sim.username,
      password: sim.password,
      fetch: createTlsFetch({ verify: true }),
    });
    await expect(sna.listTenants()).rejects.toBeInstanceOf(NetworkError);
  });

  it('trusts the certificate given as caFile', async () => {
    const res = await createTlsFetch({ verify: true, caFile: simCert })(`${sim.url}/_sim/state`);
    expect(res.status).toBe(200);
  });

  it('still refuses the certificate when caFile holds an unrelated one', async () => {
    await expect(createTlsFetch({ verify: true, caFile: otherCert })(`${sim.url}/_sim/state`)).rejects.toThrow();
  });

  it('fails at creation when the CA file cannot be read', () => {
    expect(() => createTlsFetch({ verify: true, caFile: join(dir, 'missing.pem') })).toThrow(
      /cannot read CA file .*\(ENOENT\)/,
    );
  });
});
