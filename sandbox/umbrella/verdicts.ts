/** The Umbrella simulator's verdict table, and the wire answers built from it. */
import { z } from 'zod';

/** Domain status: −1 malicious, 0 undetermined, 1 safe. */
const status = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
const labels = z.array(z.string().min(1).max(256)).max(50);

/** Input of `setVerdict` / `POST /_sim/verdicts` (there with a `domain` field). */
export const domainVerdictSchema = z.object({
  status,
  securityCategories: labels.optional(),
  contentCategories: labels.optional(),
  /** 0–100. Default: 100 when malicious, 0 when safe, 30 otherwise. */
  riskScore: z.int().min(0).max(100).optional(),
  /** Wire fields of `GET /security/name/{domain}` to send as given, even ill-typed ones (for hostile tests). */
  security: z.record(z.string().max(64), z.unknown()).optional(),
});

/** Input of `setVerdict`. */
export type SimDomainVerdict = z.input<typeof domainVerdictSchema>;
type Verdict = z.output<typeof domainVerdictSchema>;

/** Category ids of answers without `showLabels`. Illustrative: Umbrella's real ids are not in the contract. */
const CATEGORY_IDS: Record<string, string> = {
  Malware: '67',
  Phishing: '66',
  'Command and Control': '65',
  Cryptomining: '110',
  'Newly Seen Domains': '108',
  'Potentially Harmful': '109',
  'Dynamic DNS': '61',
  'Ecommerce/Shopping': '150',
  'Software/Technology': '163',
  'Business Services': '123',
  'Infrastructure and Content Delivery Networks': '149',
};

/** Domains a demo can query: malicious, suspicious and safe answers. */
export const DEMO_VERDICTS: Readonly<Record<string, SimDomainVerdict>> = {
  'internetbadguys.com': { status: -1, securityCategories: ['Phishing'] },
  'examplemalwaredomain.com': {
    status: -1,
    securityCategories: ['Malware', 'Command and Control'],
    security: { attack: 'Emotet', threat_type: 'Malware' },
  },
  'newly-seen.example': { status: 0, securityCategories: ['Newly Seen Domains'], riskScore: 78 },
  'cisco.com': { status: 1, contentCategories: ['Software/Technology', 'Business Services'] },
  'example.com': { status: 1, contentCategories: ['Infrastructure and Content Delivery Networks'] },
};

/** Verdicts by lower-case domain. Unknown domains are undetermined (status 0) with no category. */
export class VerdictTable {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(private readonly seed: Readonly<Record<string, SimDomainVerdict>>) {
    this.reset();
  }

  reset(): void {
    this.verdicts.clear();
    for (const [domain, verdict] of Object.entries(this.seed)) this.set(domain, verdict);
  }

  set(domain: string, verdict: SimDomainVerdict): void {
    this.verdicts.set(domain.toLowerCase(), domainVerdictSchema.parse(verdict));
  }

  get(domain: string): Verdict {
    return this.verdicts.get(domain.toLowerCase()) ?? { status: 0 };
  }

  domains(): string[] {
    return [...this.verdicts.keys()];
  }
}

/** `GET /domains/categorization/{domain}`: keyed by the domain; labels or ids. */
export function categorizationBody(domain: string, verdict: Verdict, showLabels: boolean): unknown {
  const show = (list: string[] | undefined): string[] => (list ?? []).map((l) => (showLabels ? l : categoryId(l)));
  return {
    [domain]: {
      status: verdict.status,
      security_categories: show(verdict.securityCategories),
      content_categories: show(verdict.contentCategories),
    },
  };
}

/** `GET /security/name/{domain}` */
export function securityBody(verdict: Verdict, known: boolean): unknown {
  const bad = verdict.status === -1;
  return {
    dga_score: bad ? -42.5 : 0,
    perplexity: bad ? 0.87 : 0.21,
    entropy: bad ? 3.6 : 2.3,
    securerank2: bad ? -83.2 : verdict.status === 1 ? 64.1 : 0,
    pagerank: verdict.status === 1 ? 61.3 : 0,
    asn_score: bad ? -29.7 : 0,
    prefix_score: bad ? -64.9 : 0,
    rip_score: bad ? -75.6 : 0,
    popularity: verdict.status === 1 ? 98.4 : 0,
    fastflux: false,
    geodiversity: known
      ? [
          ['US', 0.74],
          ['DE', 0.26],
        ]
      : [],
    geodiversity_normalized: known
      ? [
          ['US', 0.51],
          ['DE', 0.49],
        ]
      : [],
    tld_geodiversity: [],
    geoscore: 0,
    ks_test: 0,
    attack: '',
    threat_type: '',
    found: known,
    ...verdict.security,
  };
}

/** `GET /domains/risk-score/{domain}` */
export function riskScoreBody(verdict: Verdict): unknown {
  const score = verdict.riskScore ?? (verdict.status === -1 ? 100 : verdict.status === 1 ? 0 : 30);
  return {
    risk_score: score,
    indicators: [
      { indicator: 'Geo Popularity Score', normalized_score: Math.round(score / 2), score: -3.61 },
      { indicator: 'Keyword Score', normalized_score: score > 50 ? 40 : 1, score: score > 50 ? 0.53 : 0.01 },
      { indicator: 'Lexical', normalized_score: Math.round(score / 3), score: 0.02 },
    ],
  };
}

function categoryId(label: string): string {
  const known = CATEGORY_IDS[label];
  if (known) return known;
  let hash = 0;
  for (const char of label) hash = (hash * 31 + char.charCodeAt(0)) % 9000;
  return String(1000 + hash);
}
