/**
 * `npm run smoke`: checks the credentials and settings the bot would start with, without changing
 * anything anywhere. Reads the same variables as the bot (and `.env` when present, unless
 * `--no-env-file`; `--env-file <path>` reads another file).
 *
 *   webex identity       GET /people/me: the token works; the identity's name and type
 *   webex alert space    the identity is a member of WEBEX_ALERT_ROOM_ID (GET /memberships, /rooms/{id})
 *   smc login            form login to SNA_URL
 *   smc tenant           the tenants the user sees; SNA_TENANT_ID exists (or the first is used)
 *   smc event types      SNA_EVENT_TYPES resolve to ids through the security-event templates
 *   smc logout           DELETE /token
 *   xdr token            an OAuth2 token for XDR_CLIENT_ID
 *   xdr private intel    one CTIA search (`GET /ctia/feed/search?query=*&limit=1`)
 *   umbrella             token and one categorization lookup (example.com)
 *   secure endpoint      one computers lookup (GET /v1/computers?internal_ip=192.0.2.1)
 *   virustotal           one IP report (192.0.2.1); "not found" still proves the key
 *
 * One line per check: `ok: …`, `failed: reason`, or `skipped: not configured`. Secrets never
 * appear in the output. Exit status: 0 when every configured check passed, 1 when one failed,
 * 2 when the configuration itself is invalid.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { type Config, ConfigError, loadConfig, SECRET_VARS } from '../bot/config.js';
import { redactUrl } from '../integrations/http.js';
import { SecureEndpointClient } from '../integrations/secure-endpoint/client.js';
import { SnaClient, SnaLoginError } from '../integrations/sna/client.js';
import { createTlsFetch } from '../integrations/tls-fetch.js';
import { UmbrellaClient } from '../integrations/umbrella/client.js';
import { VirusTotalClient } from '../integrations/virustotal/client.js';
import { XdrAuthError, XdrClient } from '../integrations/xdr/index.js';

const CHECK_TIMEOUT_MS = 30_000;
/** Documentation addresses and names (RFC 5737, RFC 2606): reads about them reveal nothing. */
const PROBE_IP = '192.0.2.1';
const PROBE_DOMAIN = 'example.com';

type Outcome = { status: 'ok' | 'failed' | 'skipped'; detail: string };

const ok = (detail: string): Outcome => ({ status: 'ok', detail });
const failed = (detail: string): Outcome => ({ status: 'failed', detail });
const skipped = (detail = 'not configured'): Outcome => ({ status: 'skipped', detail });

// --- arguments and environment -------------------------------------------------------------

const args = process.argv.slice(2);
const envFileArg = args.indexOf('--env-file');
const envFile = envFileArg >= 0 ? args[envFileArg + 1] : '.env';
if (!args.includes('--no-env-file') && envFile && existsSync(envFile)) process.loadEnvFile(envFile);

const secrets = secretValues(process.env);
const results: Array<{ name: string } & Outcome> = [];

function report(name: string, outcome: Outcome): Outcome {
  results.push({ name, ...outcome });
  process.stdout.write(`${scrub(`${name.padEnd(20)} ${outcome.status}: ${outcome.detail}`)}\n`);
  return outcome;
}

/** Runs a check under a time limit; any exception becomes `failed` with its (scrubbed) message. */
async function check(name: string, run: (signal: AbortSignal) => Promise<Outcome>): Promise<Outcome> {
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    return report(name, await run(signal));
  } catch (err) {
    return report(name, failed(describe(err, signal)));
  }
}

function describe(err: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return `no answer within ${CHECK_TIMEOUT_MS / 1000} s`;
  if (err instanceof Error) {
    const detail = 'detail' in err && typeof err.detail === 'string' && err.detail ? ` — ${err.detail}` : '';
    return `${err.message}${detail}`.replace(/\s+/g, ' ').slice(0, 500);
  }
  return String(err);
}

/** Every configured secret, and the Basic forms the OAuth clients build from them. */
function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values = SECRET_VARS.map((name) => env[name]?.trim()).filter((v): v is string => Boolean(v));
  const basic = (id: string | undefined, secret: string | undefined) =>
    id && secret ? [Buffer.from(`${id.trim()}:${secret.trim()}`).toString('base64')] : [];
  return [
    ...values,
    ...basic(env.XDR_CLIENT_ID, env.XDR_CLIENT_SECRET),
    ...basic(env.UMBRELLA_API_KEY, env.UMBRELLA_API_SECRET),
    ...basic(env.SECURE_ENDPOINT_CLIENT_ID, env.SECURE_ENDPOINT_API_KEY),
    ...(env.UMBRELLA_API_KEY?.trim() ? [env.UMBRELLA_API_KEY.trim()] : []),
  ].filter((s) => s.length >= 4);
}

function scrub(text: string): string {
  return secrets.reduce((acc, secret) => acc.split(secret).join('[REDACTED]'), text);
}

// --- Webex ---------------------------------------------------------------------------------

const personSchema = z.looseObject({
  id: z.string(),
  displayName: z.string().optional(),
  type: z.string().optional(),
  emails: z.array(z.string()).optional(),
});
const membershipsSchema = z.looseObject({ items: z.array(z.looseObject({ personId: z.string().optional() })) });
const roomSchema = z.looseObject({ title: z.string().optional(), type: z.string().optional() });

class WebexAnswer extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function webexGet<T>(
  config: Readonly<Config>,
  path: string,
  schema: z.ZodType<T>,
  signal: AbortSignal,
): Promise<T> {
  const url = `${config.webex.apiUrl}/${path}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${config.webex.token}` }, signal });
  const text = await res.text();
  if (!res.ok) {
    let reason = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { message?: unknown; trackingId?: unknown };
      reason = [body.message, body.trackingId ? `trackingId ${String(body.trackingId)}` : '']
        .filter(Boolean)
        .join(', ');
    } catch {
      // not JSON: keep the excerpt
    }
    throw new WebexAnswer(
      res.status,
      `Webex answered ${res.status} to GET ${redactUrl(url.split('?')[0] ?? url)}: ${reason}`,
    );
  }
  return schema.parse(JSON.parse(text));
}

async function webexChecks(config: Readonly<Config>): Promise<void> {
  let me: z.infer<typeof personSchema> | undefined;
  await check('webex identity', async (signal) => {
    me = await webexGet(config, 'people/me', personSchema, signal);
    const email = me.emails?.[0] ? ` <${me.emails[0]}>` : '';
    const warning = me.type && me.type !== 'bot' ? ' — not a bot token; alerts would be posted as this person' : '';
    return ok(`${me.displayName ?? '(no name)'}${email}, type ${me.type ?? 'unknown'}${warning}`);
  });
  const identity = me;
  if (!identity) {
    report('webex alert space', skipped('needs a working Webex token'));
    return;
  }
  await check('webex alert space', async (signal) => {
    const roomId = encodeURIComponent(config.webex.alertRoomId);
    let members: z.infer<typeof membershipsSchema>;
    try {
      members = await webexGet(
        config,
        `memberships?roomId=${roomId}&personId=${encodeURIComponent(identity.id)}`,
        membershipsSchema,
        signal,
      );
    } catch (err) {
      if (err instanceof WebexAnswer && (err.status === 404 || err.status === 403)) {
        return failed(
          `the bot is not a member of WEBEX_ALERT_ROOM_ID, or no such space (${err.status}); add the bot to the space`,
        );
      }
      throw err;
    }
    if (!members.items.some((m) => m.personId === identity.id)) {
      return failed('the bot is not a member of WEBEX_ALERT_ROOM_ID; add the bot to the space');
    }
    const room = await webexGet(config, `rooms/${roomId}`, roomSchema, signal);
    return ok(`member of "${room.title ?? '(untitled)'}" (${room.type ?? 'unknown'} space)`);
  });
}

// --- SMC -----------------------------------------------------------------------------------

async function smcChecks(config: Readonly<Config>): Promise<void> {
  const sna = config.sna;
  if (!sna) {
    for (const name of ['smc login', 'smc tenant', 'smc event types', 'smc logout']) report(name, skipped());
    return;
  }
  const client = new SnaClient({
    baseUrl: sna.url,
    username: sna.username,
    password: sna.password,
    fetch: createTlsFetch({ verify: sna.tlsVerify, caFile: sna.caFile }),
    timeoutMs: 15_000,
  });
  try {
    let tenants: Array<{ id: number; displayName: string }> = [];
    const login = await check('smc login', async (signal) => {
      try {
        tenants = await client.listTenants({ signal });
      } catch (err) {
        if (err instanceof SnaLoginError || !client.session().loggedIn) throw err;
        // Logged in, but the tenants call failed: reported by the tenant check below.
      }
      const tls = sna.url.startsWith('http:')
        ? ', plain HTTP'
        : !sna.tlsVerify
          ? ', certificate NOT verified (SNA_TLS_VERIFY=false)'
          : sna.caFile
            ? ', certificate verified against SNA_CA_FILE'
            : ', certificate verified';
      return ok(`user "${sna.username}" at ${redactUrl(sna.url)}${tls}`);
    });
    if (login.status !== 'ok') {
      for (const name of ['smc tenant', 'smc event types', 'smc logout'])
        report(name, skipped('needs a working SMC login'));
      return;
    }
    let tenantId: number | undefined;
    await check('smc tenant', async (signal) => {
      tenantId = await client.resolveTenantId(sna.tenantId, { signal });
      if (tenants.length === 0) tenants = await client.listTenants({ signal });
      const chosen = tenants.find((t) => t.id === tenantId);
      const how = sna.tenantId === undefined ? 'first tenant, SNA_TENANT_ID unset' : 'SNA_TENANT_ID';
      return ok(`${tenantId} "${chosen?.displayName ?? ''}" (${how}; ${tenants.length} visible)`);
    });
    const tenant = tenantId;
    if (tenant === undefined) report('smc event types', skipped('needs a tenant'));
    else {
      await check('smc event types', async (signal) => {
        const types = await client.resolveEventTypes(tenant, sna.eventTypes, { signal });
        return ok(types.map((t) => `${t.name} = ${t.id}`).join(', '));
      });
    }
  } finally {
    if (client.session().loggedIn) {
      await client.logout();
      report('smc logout', client.session().loggedIn ? failed('the session is still open') : ok('session ended'));
    }
  }
}

// --- XDR and enrichment sources ----------------------------------------------------------------

async function xdrChecks(config: Readonly<Config>): Promise<void> {
  const xdr = config.xdr;
  if (!xdr) {
    report('xdr token', skipped());
    report('xdr private intel', skipped());
    return;
  }
  const client = new XdrClient({
    clientId: xdr.clientId,
    clientSecret: xdr.clientSecret,
    region: xdr.region,
    ...(xdr.apiUrl ? { apiUrl: xdr.apiUrl } : {}),
    ...(xdr.privateIntelUrl ? { privateIntelUrl: xdr.privateIntelUrl } : {}),
  });
  let searchError: unknown;
  let feeds = 0;
  const token = await check('xdr token', async (signal) => {
    try {
      feeds = (await client.searchFeeds('*', 1, { signal })).length;
    } catch (err) {
      if (err instanceof XdrAuthError || client.stats().tokenFetches === 0 || !tokenGranted(client)) throw err;
      searchError = err;
    }
    return ok(`granted (region ${xdr.region}, ${redactUrl(client.hosts.iroh)})`);
  });
  if (token.status !== 'ok') {
    report('xdr private intel', skipped('needs an XDR token'));
    return;
  }
  report(
    'xdr private intel',
    searchError === undefined
      ? ok(
          `CTIA search answered at ${redactUrl(client.hosts.privateIntel)} (${feeds ? 'feeds visible' : 'no feed visible yet'})`,
        )
      : failed(`${describe(searchError)} — check the API client's private-intelligence scope`),
  );
}

/** Whether the token endpoint answered 200 at least once (the first exchange of every call). */
function tokenGranted(client: XdrClient): boolean {
  const { tokenFetches, requests } = client.stats();
  return tokenFetches > 0 && (requests['200'] ?? 0) + (requests['201'] ?? 0) > 0;
}

async function enrichmentChecks(config: Readonly<Config>): Promise<void> {
  const { umbrella, secureEndpoint, virusTotal } = config.enrich;
  if (!umbrella) report('umbrella', skipped());
  else {
    await check('umbrella', async (signal) => {
      const client = new UmbrellaClient({
        apiKey: umbrella.apiKey,
        apiSecret: umbrella.apiSecret,
        ...(umbrella.baseUrl ? { baseUrl: umbrella.baseUrl } : {}),
        ...(umbrella.tokenUrl ? { tokenUrl: umbrella.tokenUrl } : {}),
      });
      const answer = await client.categorization(PROBE_DOMAIN, { signal });
      return ok(`token granted; categorization of ${PROBE_DOMAIN} answered (status ${answer.status})`);
    });
  }
  if (!secureEndpoint) report('secure endpoint', skipped());
  else {
    await check('secure endpoint', async (signal) => {
      const client = new SecureEndpointClient({
        clientId: secureEndpoint.clientId,
        apiKey: secureEndpoint.apiKey,
        ...(secureEndpoint.baseUrl ? { baseUrl: secureEndpoint.baseUrl } : {}),
      });
      const list = await client.computersByInternalIp(PROBE_IP, { signal, pageSize: 1, maxPages: 1 });
      const limit = client.rateLimit();
      const quota =
        limit?.remaining !== undefined ? `; ${limit.remaining} of ${limit.limit ?? '?'} requests left this hour` : '';
      return ok(`computers lookup answered (${list.items.length} for ${PROBE_IP})${quota}`);
    });
  }
  if (!virusTotal) report('virustotal', skipped());
  else {
    await check('virustotal', async (signal) => {
      const client = new VirusTotalClient({
        apiKey: virusTotal.apiKey,
        ...(virusTotal.baseUrl ? { baseUrl: virusTotal.baseUrl } : {}),
      });
      const answer = await client.lookup({ type: 'ip', value: PROBE_IP }, { signal });
      return ok(
        `key accepted (report for ${PROBE_IP}: ${answer.found ? 'found' : 'not found'}); uses 1 request of the quota`,
      );
    });
  }
}

// --- main ----------------------------------------------------------------------------------

let config: Readonly<Config>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    report('config', failed(`${err.problems.length} problem(s)`));
    for (const problem of err.problems) process.stdout.write(`${scrub(`  - ${problem}`)}\n`);
    process.exit(2);
  }
  throw err;
}
const mode = config.webex.webhookUrl
  ? `webhook mode at ${redactUrl(config.webex.webhookUrl)}`
  : 'websocket mode (no WEBEX_WEBHOOK_URL)';
report('config', ok(`${mode}; state ${config.stateUrl.slice(0, config.stateUrl.indexOf('://'))}`));

await webexChecks(config);
await smcChecks(config);
await xdrChecks(config);
await enrichmentChecks(config);

const failures = results.filter((r) => r.status === 'failed').length;
process.stdout.write(
  failures === 0 ? 'smoke: every configured check passed\n' : `smoke: ${failures} check(s) failed\n`,
);
process.exit(failures === 0 ? 0 : 1);
