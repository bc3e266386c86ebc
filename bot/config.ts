/**
 * Configuration: parsed once from the environment, every problem listed at once,
 * secrets never echoed. The variable names are a public contract (README, .env.example).
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { parseRange } from './observables/ip.js';
import { DEFAULT_ALERT_HOLD_MS } from './pipeline/alert-hold.js';

export const DEFAULT_WEBEX_API_URL = 'https://webexapis.com/v1';

/** Variables whose values must never appear in logs, errors or chat. */
export const SECRET_VARS = [
  'WEBEX_BOT_TOKEN',
  'WEBEX_WEBHOOK_SECRET',
  'SNA_PASSWORD',
  'XDR_CLIENT_SECRET',
  'UMBRELLA_API_SECRET',
  'SECURE_ENDPOINT_API_KEY',
  'VIRUSTOTAL_API_KEY',
  'SNA_WEBHOOK_TOKEN',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const requiredString = (what: string) =>
  z.preprocess(blankToUndefined, z.string({ error: `is required (${what})` }).trim());

const httpUrl = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: `is required (${what})` })
      .trim()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
        message: `must be an http(s) URL (${what})`,
      })
      .transform((v) => v.replace(/\/+$/, '')),
  );

/** An optional URL: blank means unset, as for every other variable (`.env.example` lists them blank). */
const optionalHttpUrl = (what: string) => z.preprocess(blankToUndefined, httpUrl(what).optional());

const int = (what: string, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be a whole number (${what})` })
      .int({ error: `must be a whole number (${what})` })
      .min(min, { error: `must be at least ${min} (${what})` })
      .max(max, { error: `must be at most ${max} (${what})` }),
  );

/** Seconds that may have a fraction (`0.5`): for cadences that tests run faster than production would. */
const seconds = (what: string, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be a number of seconds (${what})` })
      .min(min, { error: `must be at least ${min} (${what})` })
      .max(max, { error: `must be at most ${max} (${what})` }),
  );

const bool = (what: string) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
      z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `must be true or false (${what})` }),
    )
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const list = z.preprocess(blankToUndefined, z.string().default('')).transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const isEmailEntry = (e: string) => /^@[^\s@]+\.[^\s@]+$|^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e);
const emailList = list.refine((entries) => entries.every(isEmailEntry), {
  message: 'must be a comma-separated list of emails or @domains',
});

const duration = (what: string, fallback: string) =>
  z.preprocess(blankToUndefined, z.string().default(fallback)).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a duration like 30m, 12h, 7d (${what})` });
      return z.NEVER;
    }
    return ms;
  });

const cidrList = list.refine((entries) => entries.every((entry) => parseRange(entry) !== undefined), {
  message: 'must be a comma-separated list of IP addresses or CIDRs',
});

/** `*` alone opens the bot to everyone (an explicit opt-in); otherwise emails and @domains. */
const operatorList = list.refine(
  (entries) => (entries.includes('*') ? entries.length === 1 : entries.every(isEmailEntry)),
  { message: 'must be `*` alone, or a comma-separated list of emails or @domains' },
);

const stateUrl = z
  .preprocess(blankToUndefined, z.string().trim().default('sqlite://./data/state.sqlite'))
  .refine((v) => /^(sqlite|redis|rediss|memory):\/\//.test(v), {
    message: 'must start with sqlite://, redis://, rediss:// or memory://',
  });

const envSchema = z.object({
  WEBEX_BOT_TOKEN: requiredString('the bot access token from developer.webex.com'),
  WEBEX_API_URL: httpUrl('Webex REST base URL').default(DEFAULT_WEBEX_API_URL),
  WEBEX_U2C_URL: optionalHttpUrl('Webex service catalog URL'),
  WEBEX_WEBHOOK_URL: optionalHttpUrl('public URL Webex posts events to'),
  WEBEX_WEBHOOK_SECRET: optionalString,
  WEBEX_ALERT_ROOM_ID: requiredString('the id of the space that receives alerts'),
  WEBEX_CARD_UPDATES: z
    .preprocess(blankToUndefined, z.enum(['replace', 'auto', 'edit']).default('replace'))
    .describe('how alert cards are updated: replaced (auto and edit are obsolete names for it)'),
  WEBEX_SDK_PLUGINS: z
    .preprocess(blankToUndefined, z.enum(['messaging', 'all']).default('messaging'))
    .describe('which Webex SDK plugins are loaded'),
  PORT: int('HTTP port', 1, 65535).default(8080),
  SNA_URL: optionalHttpUrl('SMC base URL'),
  SNA_USERNAME: optionalString,
  SNA_PASSWORD: optionalString,
  SNA_TENANT_ID: int('SMC tenant (domain) id', 0, Number.MAX_SAFE_INTEGER).optional(),
  SNA_EVENT_TYPES: z
    .preprocess(blankToUndefined, z.string().default('High Total Traffic'))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((v) => v.length > 0, { message: 'must name at least one security event type' }),
  SNA_POLL_SECONDS: seconds('seconds between polls', 0.1, 86_400).default(60),
  SNA_LOOKBACK_MINUTES: int('window of the first poll', 1, 10_080).default(60),
  SNA_OVERLAP_SECONDS: int('overlap between poll windows', 0, 3600).default(120),
  SNA_QUERY_TIMEOUT_SECONDS: int('longest wait for one SMC query', 5, 3600).default(120),
  SNA_TLS_VERIFY: bool('verify the SMC TLS certificate').default(true),
  SNA_CA_FILE: optionalString.refine((v) => v === undefined || existsSync(v), {
    message: 'names a file that does not exist',
  }),
  SNA_HOST_URL_TEMPLATE: optionalString,
  SNA_TAG_NAME: z.preprocess(blankToUndefined, z.string().trim().max(200).default('SNA ChatOps Quarantine')),
  SNA_TAG_PARENT_ID: int('parent host group of the tag group', 0, Number.MAX_SAFE_INTEGER).default(0),
  XDR_CLIENT_ID: optionalString,
  XDR_CLIENT_SECRET: optionalString,
  XDR_REGION: z.preprocess(blankToUndefined, z.enum(['us', 'eu', 'apjc']).default('us')),
  XDR_API_URL: optionalHttpUrl('IROH base URL override'),
  XDR_PRIVATE_INTEL_URL: optionalHttpUrl('private intelligence (CTIA) base URL override'),
  XDR_BLOCK_FEED_NAME: z.preprocess(blankToUndefined, z.string().trim().max(200).default('SNA ChatOps Block List')),
  BLOCK_TTL: duration('how long a block lasts', '7d'),
  BLOCK_APPROVAL: z.preprocess(blankToUndefined, z.enum(['none', 'two-person']).default('none')),
  BLOCK_APPROVAL_TTL: duration('how long a block request waits for approval', '30m'),
  BOT_OPERATORS: operatorList,
  BOT_RESPONDERS: emailList,
  PROTECTED_RANGES: cidrList,
  PROTECTED_DOMAINS: list,
  XDR_INCIDENT_URL_TEMPLATE: optionalString,
  XDR_ENRICH: bool('use XDR for enrichment').default(true),
  XDR_HOURLY_BUDGET: int('XDR requests per hour this bot may use', 1, 8000).default(2000),
  UMBRELLA_API_KEY: optionalString,
  UMBRELLA_API_SECRET: optionalString,
  UMBRELLA_URL: optionalHttpUrl('Umbrella Investigate base URL'),
  UMBRELLA_TOKEN_URL: optionalHttpUrl('Umbrella OAuth token URL'),
  SECURE_ENDPOINT_CLIENT_ID: optionalString,
  SECURE_ENDPOINT_API_KEY: optionalString,
  SECURE_ENDPOINT_URL: optionalHttpUrl('Secure Endpoint API base URL'),
  VIRUSTOTAL_API_KEY: optionalString,
  VIRUSTOTAL_URL: optionalHttpUrl('VirusTotal API base URL'),
  VIRUSTOTAL_PER_MINUTE: int('VirusTotal requests per minute', 1, 10_000).default(4),
  ENRICH_CACHE_SECONDS: int('how long enrichment answers are reused', 0, 30 * 86_400).default(3600),
  ENRICH_TIMEOUT_SECONDS: int('longest wait for one enrichment source', 1, 300).default(15),
  ENRICH_PER_PERSON_PER_MINUTE: int('lookups one person may ask for per minute', 1, 10_000).default(10),
  AUTO_ENRICH: bool('enrich the peer of every new incident').default(true),
  ALERT_HOLD_MS: int('longest a new alert card waits for its verdict and top talkers', 0, 10_000).default(
    DEFAULT_ALERT_HOLD_MS,
  ),
  SNA_FLOW_CONTEXT: bool('add top talkers from SMC flows to new alert cards').optional(),
  SNA_FLOW_QUERIES_PER_MINUTE: int('SMC flow queries per minute for alert cards', 1, 600).default(6),
  SNA_FLOW_RECORD_LIMIT: int('flow records one SMC flow query returns at most', 10, 100_000).default(500),
  RELAY_ENABLED: bool('serve the XDR relay module under /relay').default(false),
  RELAY_AUDIENCE: optionalHttpUrl('the relay URL configured in XDR, the JWT audience'),
  RELAY_JWKS_URL: optionalHttpUrl('where the relay fetches XDR signing keys'),
  RELAY_LOOKBACK_HOURS: int('how far back the relay reports sightings', 1, 720).default(24),
  RELAY_ENTITIES_LIMIT: int('sightings per observable the relay returns at most', 1, 1000).default(100),
  RELAY_ERROR_STATUS: z.preprocess(blankToUndefined, z.enum(['standard', 'always-200']).default('standard')),
  RELAY_USER_CLAIMS: z.preprocess(blankToUndefined, z.string().default('email,user,sub')).transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
  RELAY_CARD_URL_TEMPLATE: optionalString,
  SNA_MIN_POINTS: int('points below which events do not alert', 0, Number.MAX_SAFE_INTEGER).default(0),
  DIGEST_THRESHOLD: int('new incidents in one poll above which one digest card is posted', 1, 10_000).default(10),
  SNA_WEBHOOK_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  STATE_NAMESPACE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[\w.-]{1,64}$/, { message: 'must be 1-64 letters, digits, dots, dashes or underscores' })
      .default('sna-chatops'),
  ),
  LEADER_LEASE_SECONDS: int('how long a dead leader keeps the polling lease', 3, 600).default(30),
  LOCK_SECONDS: int('how long a dead holder keeps a Redis lock', 3, 600).default(15),
  INCIDENT_WINDOW_MINUTES: int('how long repeats join the same incident', 1, 10_080).default(120),
  OUTBOX_BACKOFF_MS: int('first wait after Webex failed a card delivery', 10, 60_000).default(1000),
  STATE_URL: stateUrl,
  LOG_LEVEL: z
    .preprocess(blankToUndefined, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
});

/**
 * Rules across variables. Checked on the raw environment so they are reported together
 * with every other problem (zod skips object refinements once a field has failed).
 */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (set('WEBEX_WEBHOOK_URL')) {
    const secret = (env.WEBEX_WEBHOOK_SECRET ?? '').trim();
    if (!secret) problems.push('WEBEX_WEBHOOK_SECRET is required when WEBEX_WEBHOOK_URL is set (webhook mode)');
    else if (secret.length < 16) problems.push('WEBEX_WEBHOOK_SECRET must be at least 16 characters');
  }
  if (set('XDR_CLIENT_ID') !== set('XDR_CLIENT_SECRET')) {
    problems.push('XDR_CLIENT_ID and XDR_CLIENT_SECRET must be set together');
  }
  for (const [a, b] of [
    ['UMBRELLA_API_KEY', 'UMBRELLA_API_SECRET'],
    ['SECURE_ENDPOINT_CLIENT_ID', 'SECURE_ENDPOINT_API_KEY'],
  ] as const) {
    if (set(a) !== set(b)) problems.push(`${a} and ${b} must be set together`);
  }
  if (/^(true|1|yes)$/i.test((env.RELAY_ENABLED ?? '').trim())) {
    if (!set('RELAY_AUDIENCE')) {
      problems.push('RELAY_AUDIENCE is required when RELAY_ENABLED=true (the relay URL as configured in XDR)');
    }
    if (!set('SNA_URL')) problems.push('SNA_URL is required when RELAY_ENABLED=true (the relay answers from the SMC)');
  }
  if (set('SNA_URL')) {
    for (const name of ['SNA_USERNAME', 'SNA_PASSWORD']) {
      if (!set(name)) problems.push(`${name} is required when SNA_URL is set`);
    }
  }
  return problems;
}

type Env = z.output<typeof envSchema>;

/** Every variable the bot reads: the public contract documented in README.md and .env.example. */
export const ENV_VARS: readonly string[] = Object.keys(envSchema.shape);

export interface SnaConfig {
  url: string;
  username: string;
  password: string;
  tenantId: number | undefined;
  eventTypes: string[];
  pollSeconds: number;
  lookbackMinutes: number;
  overlapSeconds: number;
  queryTimeoutSeconds: number;
  tlsVerify: boolean;
  caFile: string | undefined;
  hostUrlTemplate: string;
}

export interface XdrConfig {
  clientId: string;
  clientSecret: string;
  region: 'us' | 'eu' | 'apjc';
  apiUrl: string | undefined;
  privateIntelUrl: string | undefined;
  blockFeedName: string;
}

/** The XDR relay module (`/relay`); absent unless RELAY_ENABLED=true. */
export interface RelayConfig {
  /** The `aud` every relay JWT must carry. */
  audience: string;
  /** Where XDR's signing keys are fetched: the region's `/.well-known/jwks`, or RELAY_JWKS_URL. */
  jwksUrl: string;
  /** `jwks_host` values accepted: the region's IROH host only. */
  allowedJwksHosts: string[];
  lookbackHours: number;
  entitiesLimit: number;
  /** `always-200`: errors answer HTTP 200 with the errors body, as Cisco's own relay modules do. */
  errorStatus: 'standard' | 'always-200';
  /** Claims read, in order, for the XDR user named in the audit. */
  userClaims: string[];
  /** Link to an incident's card (`{roomId}`, `{roomUuid}`, `{messageId}`, `{incidentId}`); unset: derived. */
  cardUrlTemplate: string | undefined;
}

/** Flow context from the SMC: top talkers on alert cards, `/flows`, the SNA enrichment source. */
export interface FlowConfig {
  /** Top talkers on new alert cards. */
  context: boolean;
  queriesPerMinute: number;
  recordLimit: number;
}

/** XDR's IROH host per region: where it publishes the keys it signs relay JWTs with. */
export const XDR_JWKS_HOSTS = {
  us: 'visibility.amp.cisco.com',
  eu: 'visibility.eu.amp.cisco.com',
  apjc: 'visibility.apjc.amp.cisco.com',
} as const;

export interface ResponseConfig {
  blockTtlMs: number;
  approval: 'none' | 'two-person';
  approvalTtlMs: number;
  operators: string[];
  responders: string[];
  protectedRanges: string[];
  protectedDomains: string[];
  tagName: string;
  tagParentId: number;
}

export interface EnrichConfig {
  xdr: boolean;
  xdrHourlyBudget: number;
  umbrella:
    { apiKey: string; apiSecret: string; baseUrl: string | undefined; tokenUrl: string | undefined } | undefined;
  secureEndpoint: { clientId: string; apiKey: string; baseUrl: string | undefined } | undefined;
  virusTotal: { apiKey: string; baseUrl: string | undefined; perMinute: number } | undefined;
  cacheSeconds: number;
  timeoutMs: number;
  /** Lookups (and XDR inspects) one person may ask for per minute. */
  perPersonPerMinute: number;
  auto: boolean;
}

export interface Config {
  webex: {
    token: string;
    apiUrl: string;
    /** Service-catalog URL the SDK bootstraps from; only set when pointing the SDK away from Webex. */
    u2cUrl: string | undefined;
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
    alertRoomId: string;
    /** `messaging`: only the SDK plugins the framework uses (bot/webex/messaging-sdk.ts); `all`: webex as published. */
    sdkPlugins: 'messaging' | 'all';
  };
  port: number;
  sna: SnaConfig | undefined;
  /** Absent when XDR_CLIENT_ID is not configured: Block and Unblock are then unavailable. */
  xdr: XdrConfig | undefined;
  response: ResponseConfig;
  enrich: EnrichConfig;
  relay: RelayConfig | undefined;
  flows: FlowConfig;
  /** Events with fewer points do not alert. */
  minPoints: number;
  /** More new incidents than this in one poll become one digest card. */
  digestThreshold: number;
  /** The longest a new alert card waits for its peer verdict and top talkers; later ones update it. */
  alertHoldMs: number;
  /** Link to an escalated XDR incident; `{id}` is replaced (the console URL is not verified). */
  xdrIncidentUrlTemplate: string | undefined;
  incidentWindowMinutes: number;
  /** First wait after a card delivery failed with a 5xx or a network error; doubles up to 60 s. */
  outboxBackoffMs: number;
  stateUrl: string;
  /** Enables `POST /sna/alarms` (SNA Response Management webhooks) with this bearer token. */
  snaWebhookToken: string | undefined;
  /** Prefix of every state key (several bots, or test runs, can share one Redis). */
  stateNamespace: string;
  leaderLeaseSeconds: number;
  /** With Redis: how long a lock outlives a holder that stopped renewing it (crashed, cut off). */
  lockSeconds: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Settings that work but deserve a change, logged once at start. */
  warnings: string[];
}

/** Settings that still work but should change: each is one line, logged at start. */
function configWarnings(env: Env): string[] {
  const warnings: string[] = [];
  if (env.WEBEX_CARD_UPDATES !== 'replace') {
    warnings.push(
      `WEBEX_CARD_UPDATES=${env.WEBEX_CARD_UPDATES} is obsolete: Webex cannot edit a message that carries a card, ` +
        'so alert cards are always replaced (new card posted, old one deleted); set WEBEX_CARD_UPDATES=replace or remove it',
    );
  }
  return warnings;
}

/** Thrown when the environment does not describe a runnable bot; lists every problem. */
export class ConfigError extends Error {
  readonly code = 'config_error';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into a frozen Config, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const result = envSchema.safeParse(env);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return Object.freeze(toConfig(result.data));
}

function toConfig(env: Env): Config {
  const apiUrl = env.WEBEX_API_URL;
  return {
    webex: {
      token: env.WEBEX_BOT_TOKEN,
      apiUrl,
      u2cUrl: env.WEBEX_U2C_URL ?? (apiUrl === DEFAULT_WEBEX_API_URL ? undefined : defaultU2c(apiUrl)),
      webhookUrl: env.WEBEX_WEBHOOK_URL,
      webhookSecret: env.WEBEX_WEBHOOK_URL ? env.WEBEX_WEBHOOK_SECRET : undefined,
      alertRoomId: env.WEBEX_ALERT_ROOM_ID,
      sdkPlugins: env.WEBEX_SDK_PLUGINS,
    },
    port: env.PORT,
    sna: env.SNA_URL
      ? {
          url: env.SNA_URL,
          username: env.SNA_USERNAME ?? '',
          password: env.SNA_PASSWORD ?? '',
          tenantId: env.SNA_TENANT_ID,
          eventTypes: env.SNA_EVENT_TYPES,
          pollSeconds: env.SNA_POLL_SECONDS,
          lookbackMinutes: env.SNA_LOOKBACK_MINUTES,
          overlapSeconds: env.SNA_OVERLAP_SECONDS,
          queryTimeoutSeconds: env.SNA_QUERY_TIMEOUT_SECONDS,
          tlsVerify: env.SNA_TLS_VERIFY,
          caFile: env.SNA_CA_FILE,
          hostUrlTemplate: env.SNA_HOST_URL_TEMPLATE ?? `${env.SNA_URL}/lc-landing-page/smc.html#/host/{ip}`,
        }
      : undefined,
    xdr:
      env.XDR_CLIENT_ID && env.XDR_CLIENT_SECRET
        ? {
            clientId: env.XDR_CLIENT_ID,
            clientSecret: env.XDR_CLIENT_SECRET,
            region: env.XDR_REGION,
            apiUrl: env.XDR_API_URL,
            privateIntelUrl: env.XDR_PRIVATE_INTEL_URL,
            blockFeedName: env.XDR_BLOCK_FEED_NAME,
          }
        : undefined,
    response: {
      blockTtlMs: env.BLOCK_TTL,
      approval: env.BLOCK_APPROVAL,
      approvalTtlMs: env.BLOCK_APPROVAL_TTL,
      operators: env.BOT_OPERATORS,
      responders: env.BOT_RESPONDERS,
      protectedRanges: env.PROTECTED_RANGES,
      protectedDomains: env.PROTECTED_DOMAINS,
      tagName: env.SNA_TAG_NAME,
      tagParentId: env.SNA_TAG_PARENT_ID,
    },
    enrich: {
      xdr: env.XDR_ENRICH,
      xdrHourlyBudget: env.XDR_HOURLY_BUDGET,
      umbrella:
        env.UMBRELLA_API_KEY && env.UMBRELLA_API_SECRET
          ? {
              apiKey: env.UMBRELLA_API_KEY,
              apiSecret: env.UMBRELLA_API_SECRET,
              baseUrl: env.UMBRELLA_URL,
              tokenUrl: env.UMBRELLA_TOKEN_URL,
            }
          : undefined,
      secureEndpoint:
        env.SECURE_ENDPOINT_CLIENT_ID && env.SECURE_ENDPOINT_API_KEY
          ? {
              clientId: env.SECURE_ENDPOINT_CLIENT_ID,
              apiKey: env.SECURE_ENDPOINT_API_KEY,
              baseUrl: env.SECURE_ENDPOINT_URL,
            }
          : undefined,
      virusTotal: env.VIRUSTOTAL_API_KEY
        ? { apiKey: env.VIRUSTOTAL_API_KEY, baseUrl: env.VIRUSTOTAL_URL, perMinute: env.VIRUSTOTAL_PER_MINUTE }
        : undefined,
      cacheSeconds: env.ENRICH_CACHE_SECONDS,
      timeoutMs: env.ENRICH_TIMEOUT_SECONDS * 1000,
      perPersonPerMinute: env.ENRICH_PER_PERSON_PER_MINUTE,
      auto: env.AUTO_ENRICH,
    },
    relay: env.RELAY_ENABLED && env.RELAY_AUDIENCE ? relayConfig(env, env.RELAY_AUDIENCE) : undefined,
    flows: {
      context: env.SNA_FLOW_CONTEXT ?? Boolean(env.SNA_URL),
      queriesPerMinute: env.SNA_FLOW_QUERIES_PER_MINUTE,
      recordLimit: env.SNA_FLOW_RECORD_LIMIT,
    },
    minPoints: env.SNA_MIN_POINTS,
    digestThreshold: env.DIGEST_THRESHOLD,
    alertHoldMs: env.ALERT_HOLD_MS,
    xdrIncidentUrlTemplate: env.XDR_INCIDENT_URL_TEMPLATE,
    incidentWindowMinutes: env.INCIDENT_WINDOW_MINUTES,
    outboxBackoffMs: env.OUTBOX_BACKOFF_MS,
    stateUrl: env.STATE_URL,
    stateNamespace: env.STATE_NAMESPACE,
    snaWebhookToken: env.SNA_WEBHOOK_TOKEN,
    leaderLeaseSeconds: env.LEADER_LEASE_SECONDS,
    lockSeconds: env.LOCK_SECONDS,
    logLevel: env.LOG_LEVEL,
    warnings: configWarnings(env),
  };
}

function relayConfig(env: Env, audience: string): RelayConfig {
  const host = XDR_JWKS_HOSTS[env.XDR_REGION];
  return {
    audience,
    jwksUrl: env.RELAY_JWKS_URL ?? `https://${host}/.well-known/jwks`,
    allowedJwksHosts: [host],
    lookbackHours: env.RELAY_LOOKBACK_HOURS,
    entitiesLimit: env.RELAY_ENTITIES_LIMIT,
    errorStatus: env.RELAY_ERROR_STATUS,
    userClaims: env.RELAY_USER_CLAIMS,
    cardUrlTemplate: env.RELAY_CARD_URL_TEMPLATE,
  };
}

/** A self-hosted Webex API (the simulator) serves its catalog at the same origin. */
function defaultU2c(apiUrl: string): string {
  return `${new URL(apiUrl).origin}/u2c/api/v1`;
}
