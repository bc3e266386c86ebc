/** The VirusTotal simulator's verdict table, keyed by collection and id, and the objects built from it. */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { SimHttpError } from '../common/index.js';

const count = z.int().min(0).max(200);
const hash = (length: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`));

/** Input of `setVerdict` / `POST /_sim/verdicts` (there with an `observable` field). */
export const vtVerdictSchema = z.object({
  malicious: count,
  suspicious: count.default(0),
  /** Default: 70 engines in all, minus the others. */
  harmless: count.optional(),
  undetected: count.default(10),
  timeout: count.default(0),
  reputation: z.int().min(-10_000).max(10_000).optional(),
  /** ISO-8601. Default: when the verdict was set. */
  lastAnalysisDate: z.iso.datetime({ offset: true }).optional(),
  /** For a file given by SHA-256: its other hashes, so lookups by them find it too. */
  sha1: hash(40).optional(),
  md5: hash(32).optional(),
});

/** Input of `setVerdict`. */
export type SimVtVerdict = z.input<typeof vtVerdictSchema>;
type Verdict = z.output<typeof vtVerdictSchema>;

/** API collections. */
export type Collection = 'files' | 'ip_addresses' | 'domains' | 'urls';

const TYPE_OF: Record<Collection, string> = {
  files: 'file',
  ip_addresses: 'ip_address',
  domains: 'domain',
  urls: 'url',
};
const ENGINES = 70;

interface Entry {
  collection: Collection;
  /** `data.id`: the SHA-256 for files and URLs, the value otherwise. */
  id: string;
  /** The URL, for URL objects. */
  url?: string;
  verdict: Verdict;
  at: Date;
}

/** The EICAR test file's SHA-256. */
export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

/** Observables a demo can query: malicious, suspicious and clean answers. */
export const DEMO_VERDICTS: Readonly<Record<string, SimVtVerdict>> = {
  [EICAR_SHA256]: {
    malicious: 62,
    suspicious: 1,
    harmless: 0,
    undetected: 7,
    reputation: -37,
    md5: '44d88612fea8a8f36de82e1278abb02f',
    sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  },
  '198.51.100.23': { malicious: 12, suspicious: 2, reputation: -21 },
  '203.0.113.50': { malicious: 0, suspicious: 3, reputation: -2 },
  'internetbadguys.com': { malicious: 8, suspicious: 2, reputation: -15 },
  'http://internetbadguys.com/': { malicious: 9, suspicious: 1, reputation: -8 },
  'example.com': { malicious: 0, suspicious: 0, reputation: 12 },
  '8.8.8.8': { malicious: 0, suspicious: 0, reputation: 540 },
};

/** Where an observable goes: an IP, a 32/40/64-hex hash, a URL (has a scheme or a slash) or a domain. */
export function collectionOf(observable: string): Collection {
  if (isIP(observable)) return 'ip_addresses';
  if (/^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i.test(observable)) return 'files';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(observable) || observable.includes('/')) return 'urls';
  return 'domains';
}

/** SHA-256 hex of a URL: the `data.id` of a URL object. */
export function urlSha256(url: string): string {
  return createHash('sha256').update(url, 'utf8').digest('hex');
}

export class VerdictTable {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly seed: Readonly<Record<string, SimVtVerdict>>) {
    this.reset();
  }

  reset(): void {
    this.entries.clear();
    for (const [observable, verdict] of Object.entries(this.seed)) this.set(observable, verdict);
  }

  set(observable: string, input: SimVtVerdict): void {
    const parsed = vtVerdictSchema.safeParse(input);
    if (!parsed.success)
      throw new SimHttpError(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const value = observable.trim();
    const collection = collectionOf(value);
    const at = parsed.data.lastAnalysisDate ? new Date(parsed.data.lastAnalysisDate) : new Date();
    if (collection === 'urls') {
      const id = urlSha256(value);
      this.entries.set(`urls/${id}`, { collection, id, url: value, verdict: parsed.data, at });
      return;
    }
    const id = value.toLowerCase();
    const entry: Entry = { collection, id, verdict: parsed.data, at };
    this.entries.set(`${collection}/${id}`, entry);
    for (const alias of [parsed.data.sha1, parsed.data.md5]) {
      if (alias) this.entries.set(`files/${alias.toLowerCase()}`, entry);
    }
  }

  /** The entry at `collection/id`; URL ids may be unpadded URL-safe base64 of the URL or its SHA-256. */
  find(collection: Collection, id: string): Entry | undefined {
    if (collection === 'urls' && !/^[0-9a-f]{64}$/i.test(id)) {
      return this.entries.get(`urls/${urlSha256(Buffer.from(id, 'base64url').toString('utf8'))}`);
    }
    return this.entries.get(`${collection}/${id.toLowerCase()}`);
  }

  snapshot(): Record<string, unknown> {
    return Object.fromEntries([...this.entries].map(([key, e]) => [key, { ...e.verdict, url: e.url }]));
  }
}

/** The `{data: {...}}` answer of one object. */
export function objectBody(origin: string, entry: Entry): unknown {
  const v = entry.verdict;
  const harmless = v.harmless ?? Math.max(0, ENGINES - v.malicious - v.suspicious - v.undetected - v.timeout);
  const analysed = Math.floor(entry.at.getTime() / 1000);
  return {
    data: {
      id: entry.id,
      type: TYPE_OF[entry.collection],
      links: { self: `${origin}/api/v3/${entry.collection}/${entry.id}` },
      attributes: {
        last_analysis_stats: {
          harmless,
          malicious: v.malicious,
          suspicious: v.suspicious,
          undetected: v.undetected,
          timeout: v.timeout,
          ...(entry.collection === 'files' ? { 'confirmed-timeout': 0, failure: 0, 'type-unsupported': 0 } : {}),
        },
        last_analysis_date: analysed,
        last_modification_date: analysed,
        reputation: v.reputation ?? 0,
        total_votes: { harmless: v.malicious > 0 ? 0 : 3, malicious: v.malicious > 0 ? 5 : 0 },
        ...(entry.url ? { url: entry.url, last_final_url: entry.url } : {}),
      },
    },
  };
}
