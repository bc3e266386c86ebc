/** Wire records and the paged envelope of Secure Endpoint v1 (api-contracts.md §6). */
import { SimHttpError, type SimRequest } from '../common/index.js';
import type { SimComputer, StoredVerdict } from './model.js';

const VERSION = 'v1.2.0';
const MAX_LIMIT = 500;
const THREAT_DETECTED = 1090519054;

function links(origin: string, computer: SimComputer): Record<string, string> {
  const base = `${origin}/v1/computers/${computer.connectorGuid}`;
  return {
    computer: base,
    trajectory: `${base}/trajectory`,
    group: `${origin}/v1/groups/b077d6bc-bbdf-42f7-8838-a06053fbd98a`,
  };
}

/** A full computer object of `GET /v1/computers`. */
export function wireComputer(origin: string, c: SimComputer): unknown {
  return {
    connector_guid: c.connectorGuid,
    hostname: c.hostname,
    windows_processor_id: c.connectorGuid.replace(/-/g, '').slice(0, 16),
    active: c.active,
    connector_version: '8.1.7.21585',
    operating_system: c.operatingSystem,
    internal_ips: c.internalIps,
    ...(c.externalIp ? { external_ip: c.externalIp } : {}),
    group_guid: 'b077d6bc-bbdf-42f7-8838-a06053fbd98a',
    install_date: '2023-03-14T09:26:53Z',
    network_addresses: c.internalIps.map((ip, i) => ({ mac: `00:50:56:00:00:${String(i).padStart(2, '0')}`, ip })),
    policy: { guid: '89662e0c-2a7d-4ad9-b5d2-58cfb6c1e6a4', name: 'Protect' },
    isolation: c.isolation,
    faults: [],
    links: links(origin, c),
  };
}

/** An item of `GET /v1/computers/activity`: only guid, hostname, processor id, active and links. */
export function wireActivity(origin: string, c: SimComputer): unknown {
  return {
    connector_guid: c.connectorGuid,
    hostname: c.hostname,
    windows_processor_id: c.connectorGuid.replace(/-/g, '').slice(0, 16),
    active: c.active,
    links: links(origin, c),
  };
}

/** The "Threat Detected" event of one computer for a SHA-256 verdict. */
export function wireEvent(
  origin: string,
  sha256: string,
  verdict: StoredVerdict,
  c: SimComputer,
  index: number,
): unknown {
  const seconds = Math.floor(verdict.at.getTime() / 1000) + index;
  return {
    // A 64-bit integer like the real ones (6533241145273614339): beyond 2^53, so a client reading it
    // as a plain JSON number loses its last digits. Written unquoted by `withBigIds`.
    id: String(6_533_241_145_273_614_339n + BigInt(seconds % 1_000_000) * 100n + BigInt(index)),
    timestamp: seconds,
    timestamp_nanoseconds: 0,
    date: new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    event_type: 'Threat Detected',
    event_type_id: THREAT_DETECTED,
    detection: verdict.detection,
    detection_id: String(6_000_000_000 + index),
    connector_guid: c.connectorGuid,
    group_guids: ['b077d6bc-bbdf-42f7-8838-a06053fbd98a'],
    severity: verdict.severity,
    computer: {
      connector_guid: c.connectorGuid,
      hostname: c.hostname,
      ...(c.externalIp ? { external_ip: c.externalIp } : {}),
      ...(c.user ? { user: c.user } : {}),
      active: c.active,
      network_addresses: c.internalIps.map((ip) => ({ ip, mac: '00:50:56:00:00:00' })),
      links: links(origin, c),
    },
    file: {
      disposition: 'Malicious',
      file_name: verdict.fileName ?? `${sha256.slice(0, 8)}.exe`,
      file_path: verdict.filePath ?? `C:\\Users\\Public\\${verdict.fileName ?? `${sha256.slice(0, 8)}.exe`}`,
      identity: { sha256 },
      parent: { disposition: 'Clean', file_name: 'explorer.exe', identity: { sha256: 'ef'.repeat(32) } },
    },
  };
}

/** `offset` and `limit` of a listing; a `limit` over 500 is capped, a malformed one answers 400. */
export function pageOf(req: SimRequest): { offset: number; limit: number } {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = req.query.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min) throw new SimHttpError(400, `${name} must be an integer >= ${min}`);
    return n;
  };
  return { offset: read('offset', 0, 0), limit: Math.min(read('limit', MAX_LIMIT, 1), MAX_LIMIT) };
}

/** The `{version, metadata, data}` envelope of one page of `items`, with `self` and `next` links. */
export function envelope(req: SimRequest, items: unknown[]): unknown {
  const { offset, limit } = pageOf(req);
  const page = items.slice(offset, offset + limit);
  const linkTo = (at: number): string => {
    const query = new URLSearchParams(req.query);
    query.set('offset', String(at));
    query.set('limit', String(limit));
    return `${req.origin}${req.path}?${query.toString()}`;
  };
  return {
    version: VERSION,
    metadata: {
      links: {
        self: linkTo(offset),
        ...(offset + limit < items.length ? { next: linkTo(offset + limit) } : {}),
        ...(offset > 0 ? { prev: linkTo(Math.max(0, offset - limit)) } : {}),
      },
      results: { total: items.length, current_item_count: page.length, index: offset, items_per_page: limit },
    },
    data: page,
  };
}

/** One object, e.g. `GET /v1/computers/{guid}`. */
export function single(req: SimRequest, data: unknown): unknown {
  return { version: VERSION, metadata: { links: { self: `${req.origin}${req.path}` } }, data };
}

/** The v1 error envelope; the 401 is the one of the contract word for word. */
export function errorEnvelope(status: number, message: string): unknown {
  const description = DESCRIPTIONS[status] ?? 'Error';
  return { version: 'v0.1.0', data: {}, errors: [{ error_code: status, description, details: [message] }] };
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** JSON text of an answer, with the 64-bit event ids (kept as digit strings) written as numbers. */
export function withBigIds(body: unknown): string {
  return JSON.stringify(body).replace(/("id":)"(\d{16,})"/g, '$1$2');
}
