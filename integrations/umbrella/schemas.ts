/** Wire schemas of Umbrella Investigate (api-contracts.md §5). Strings and arrays are capped. */
import { z } from 'zod';

const LABEL = z.string().max(256);
const CATEGORIES = z.array(LABEL).max(500);
const score = z.number().nullish();
const geoShare = z.tuple([z.string().max(64), z.number()]);
const geoList = z
  .array(geoShare)
  .max(1000)
  .nullish()
  .transform((list) => list ?? []);

/** `POST /auth/v2/token` */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().refine((type) => type.toLowerCase() === 'bearer', 'token_type is not bearer'),
  expires_in: z.number().positive(),
});

/** One entry of `GET /domains/categorization/{domain}`. */
export const categorizationEntrySchema = z.object({
  status: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  security_categories: CATEGORIES,
  content_categories: CATEGORIES,
});

/** `GET /domains/categorization/{domain}`: a record keyed by domain. */
export const categorizationSchema = z.record(z.string().max(253), z.unknown());

/** `GET /security/name/{domain}` */
export const securitySchema = z.object({
  dga_score: score,
  perplexity: score,
  entropy: score,
  securerank2: score,
  pagerank: score,
  asn_score: score,
  prefix_score: score,
  rip_score: score,
  popularity: score,
  geoscore: score,
  ks_test: score,
  geodiversity: geoList,
  geodiversity_normalized: geoList,
  tld_geodiversity: geoList,
  attack: z.string().max(1024).nullish(),
  threat_type: z.string().max(1024).nullish(),
  found: z.boolean(),
});

/** `GET /domains/risk-score/{domain}` */
export const riskScoreSchema = z.object({
  risk_score: z.number().min(0).max(100),
  indicators: z
    .array(
      z.object({
        indicator: z.string().max(256),
        normalized_score: score,
        score,
      }),
    )
    .max(200)
    .nullish()
    .transform((list) => list ?? []),
});

/** Error bodies: `{"message": "…"}`. */
export const errorBodySchema = z.object({ message: z.string() });

export type WireSecurity = z.infer<typeof securitySchema>;
export type WireRiskScore = z.infer<typeof riskScoreSchema>;
