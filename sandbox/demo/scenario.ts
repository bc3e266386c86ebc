/**
 * The demo's story, told through the SMC simulator: a burst of anomalies (mostly High Total
 * Traffic from inside hosts to outside peers, plus a few other types) every few seconds, then a
 * calmer stream where ongoing events grow and known hosts come back, so cards update instead of
 * multiplying. Deterministic for a given seed.
 */
import type { SmcSimulator } from '../smc/index.js';

/** Event type ids the scenario raises (names in sandbox/smc/catalogue.ts). */
export const EVENT_TYPES = {
  highTotalTraffic: 16,
  dataExfiltration: 903,
  portScan: 904,
  bruteForceLogin: 906,
  beaconingHost: 907,
} as const;

/** What the enrichment simulators say about a peer: the same verdict from every source. */
export type PeerVerdict = 'malicious' | 'suspicious' | 'clean';

/** One anomaly of the script. */
export interface ScenarioEvent {
  typeId: number;
  sourceIp: string;
  targetIp: string;
  targetPort: number;
  protocol: 'tcp' | 'udp';
  points: number;
  hitCount: number;
}

/** An outside peer of the story: an address, the name it serves, and how bad it is. */
export interface ScenarioPeer {
  ip: string;
  /** Its DNS name, so `/enrich <domain>` has something to ask the domain sources about. */
  domain: string;
  verdict: PeerVerdict;
  /** What a DNS security service files it under (Umbrella-style category names). */
  categories: readonly string[];
}

/** Outside peers of the story and how bad they are (documentation ranges and `.example` names only). */
export const SCENARIO_PEERS: readonly ScenarioPeer[] = [
  {
    ip: '203.0.113.45',
    domain: 'update-sync.darkrelay.example',
    verdict: 'malicious',
    categories: ['Command and Control', 'Malware'],
  },
  { ip: '198.51.100.77', domain: 'drop.exfilbox.example', verdict: 'malicious', categories: ['Malware'] },
  {
    ip: '192.0.2.66',
    domain: 'beacon.fresh-tracker.example',
    verdict: 'suspicious',
    categories: ['Newly Seen Domains'],
  },
  { ip: '198.51.100.23', domain: 'vpn.cheaptunnel.example', verdict: 'suspicious', categories: ['Dynamic DNS'] },
  {
    ip: '203.0.113.200',
    domain: 'static.cdn-edge.example',
    verdict: 'clean',
    categories: ['Infrastructure and Content Delivery Networks'],
  },
  { ip: '192.0.2.10', domain: 'sftp.partner.example', verdict: 'clean', categories: ['Business Services'] },
];

/** An inside host of the story, as an endpoint product knows it. */
export interface ScenarioHost {
  ip: string;
  hostname: string;
  user?: string;
  operatingSystem?: string;
  /** Already isolated by the endpoint team. */
  isolated?: boolean;
}

/**
 * The inside hosts that have an endpoint agent (Secure Endpoint computers). Two of the later
 * hosts have none, as in any real network.
 */
export const SCENARIO_HOSTS: readonly ScenarioHost[] = [
  { ip: '10.20.4.17', hostname: 'fin-laptop-07.corp.example', user: 'alice@corp.example' },
  { ip: '10.10.3.12', hostname: 'hr-desktop-03.corp.example', user: 'carol@corp.example' },
  { ip: '192.168.91.23', hostname: 'eng-laptop-23.corp.example', user: 'bob@corp.example', isolated: true },
  { ip: '10.20.9.54', hostname: 'mkt-laptop-54.corp.example', user: 'dana@corp.example' },
  { ip: '10.10.7.5', hostname: 'it-jumpbox-05.corp.example', operatingSystem: 'Ubuntu 22.04' },
  { ip: '10.20.15.80', hostname: 'sales-laptop-15.corp.example', user: 'erin@corp.example' },
  { ip: '10.20.11.9', hostname: 'eng-laptop-11.corp.example', user: 'frank@corp.example' },
  { ip: '10.10.4.44', hostname: 'hr-laptop-44.corp.example', user: 'grace@corp.example' },
  { ip: '10.20.22.130', hostname: 'dev-vm-130.corp.example', operatingSystem: 'Ubuntu 22.04' },
];

/** A partner's server among the peers: the bot is told never to block it (`PROTECTED_RANGES`). */
export const PROTECTED_PEER = '192.0.2.10';

const peer = (index: number): string => SCENARIO_PEERS[index % SCENARIO_PEERS.length]?.ip ?? '192.0.2.10';

/**
 * The opening burst, in order. The third step repeats the first host (a smaller flow to the CDN):
 * its card updates, and the C2 relay stays the peer it leads with.
 */
export const OPENING: readonly ScenarioEvent[] = [
  htt('10.20.4.17', peer(0), 443, 820, 3),
  htt('10.10.3.12', peer(3), 443, 610, 2),
  htt('10.20.4.17', peer(4), 443, 340, 4),
  event(EVENT_TYPES.dataExfiltration, '192.168.91.23', peer(1), 22, 2400, 1),
  event(EVENT_TYPES.beaconingHost, '10.20.9.54', peer(2), 8443, 60, 12),
  event(EVENT_TYPES.portScan, '10.10.7.5', peer(5), 0, 340, 40),
  htt('10.20.15.80', peer(2), 80, 520, 1),
];

/** Hosts that may show up later, in the calm part. */
const LATER_HOSTS = ['10.20.11.9', '10.10.4.44', '10.20.22.130', '192.168.91.77', '10.10.9.3'];

/** Every event type the scenario may raise: the bot must poll for all of them. */
export const SCENARIO_EVENT_TYPE_IDS: readonly number[] = [...new Set(Object.values(EVENT_TYPES))];

/** How fast the story goes. */
export interface ScenarioPace {
  /** Between two opening events. */
  openingMs: number;
  /** Range of the pause between two calm-phase changes. */
  calmMs: readonly [number, number];
}

/** `live`: for people watching. `fast`: for tests. */
export const PACES = {
  live: { openingMs: 4000, calmMs: [15_000, 35_000] },
  fast: { openingMs: 250, calmMs: [500, 1000] },
} as const satisfies Record<string, ScenarioPace>;

/** Options of {@link runScenario}. */
export interface ScenarioOptions {
  smc: SmcSimulator;
  pace?: ScenarioPace;
  /** Keep going after the opening (default true). */
  calm?: boolean;
  seed?: number;
  now?: () => Date;
}

/** A running scenario. */
export interface RunningScenario {
  /** Resolves when the opening burst has been raised. */
  readonly opening: Promise<void>;
  /** How many SMC changes (new or updated events) so far. */
  readonly changes: number;
  stop(): void;
}

/** Starts telling the story; raises the first anomaly right away. */
export function runScenario(options: ScenarioOptions): RunningScenario {
  const pace = options.pace ?? PACES.live;
  const now = options.now ?? (() => new Date());
  const random = mulberry32(options.seed ?? 20_240_611);
  const raised: { id: number; step: ScenarioEvent }[] = [];
  const controller = new AbortController();
  let changes = 0;

  const raise = (step: ScenarioEvent): void => {
    const at = now();
    const existing = raised.find((r) => r.step.sourceIp === step.sourceIp && r.step.typeId === step.typeId);
    if (existing && existing.step.targetIp === step.targetIp) {
      bump(existing, step.hitCount);
      return;
    }
    const record = options.smc.addEvent({
      ...step,
      firstActive: new Date(at.getTime() - 5 * 60_000),
      lastActive: at,
    });
    if (!raised.some((r) => r.step.sourceIp === step.sourceIp)) addEverydayFlows(options.smc, step.sourceIp, at);
    raised.push({ id: record.id, step: { ...step } });
    changes += 1;
  };
  const bump = (entry: { id: number; step: ScenarioEvent }, moreHits: number): void => {
    entry.step.hitCount += moreHits;
    options.smc.updateEvent(entry.id, { hitCount: entry.step.hitCount, lastActive: now() });
    changes += 1;
  };
  const calmStep = (): void => {
    const roll = random();
    const known = raised[Math.floor(random() * raised.length)];
    if (known && roll < 0.5) bump(known, 1 + Math.floor(random() * 5));
    else if (known && roll < 0.8) raise({ ...known.step, targetIp: peer(Math.floor(random() * 6)), hitCount: 1 });
    else {
      const host = LATER_HOSTS[Math.floor(random() * LATER_HOSTS.length)] ?? '10.20.11.9';
      raise(htt(host, peer(Math.floor(random() * 6)), 443, 300 + Math.floor(random() * 900), 1));
    }
  };

  const opening = (async () => {
    for (const [index, step] of OPENING.entries()) {
      if (index > 0) await sleep(pace.openingMs, controller.signal);
      raise(step);
    }
  })();
  void opening
    .then(async () => {
      while (options.calm ?? true) {
        const [min, max] = pace.calmMs;
        await sleep(min + random() * (max - min), controller.signal);
        calmStep();
      }
    })
    .catch(() => undefined);

  return {
    opening: opening.catch(() => undefined),
    get changes() {
      return changes;
    },
    stop: () => controller.abort(),
  };
}

/** The inside DNS resolver every host asks (its flows show under `/flows` and "Top talkers"). */
const DNS_RESOLVER = '10.10.0.53';

/** What any host does besides its anomaly: name lookups and some web browsing, so `/flows` has context. */
function addEverydayFlows(smc: SmcSimulator, host: string, at: Date): void {
  const since = new Date(at.getTime() - 30 * 60_000);
  smc.addFlow({
    clientIp: host,
    serverIp: DNS_RESOLVER,
    serverPort: 53,
    protocol: 'udp',
    clientBytes: 18_400,
    serverBytes: 52_700,
    firstActive: since,
    lastActive: at,
  });
  smc.addFlow({
    clientIp: host,
    serverIp: '203.0.113.200',
    serverPort: 443,
    clientBytes: 96_000,
    serverBytes: 2_350_000,
    firstActive: since,
    lastActive: at,
  });
}

function htt(sourceIp: string, targetIp: string, port: number, points: number, hits: number): ScenarioEvent {
  return event(EVENT_TYPES.highTotalTraffic, sourceIp, targetIp, port, points, hits);
}

function event(
  typeId: number,
  sourceIp: string,
  targetIp: string,
  targetPort: number,
  points: number,
  hitCount: number,
): ScenarioEvent {
  return { typeId, sourceIp, targetIp, targetPort, protocol: 'tcp', points, hitCount };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('stopped'));
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('stopped'));
      },
      { once: true },
    );
  });
}

/** A small seeded PRNG, so a given seed always tells the same story. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
