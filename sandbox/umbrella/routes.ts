/**
 * The Investigate API of the simulator (api-contracts.md §5): the token endpoint, the current API under
 * `/investigate/v2` (OAuth2 tokens) and the legacy API at the root (static token), same paths under both.
 */
import { SimHttpError, type SimRequest, type SimResponse } from '../common/index.js';
import { bearerToken, type TokenStore } from './tokens.js';
import { categorizationBody, riskScoreBody, securityBody, type VerdictTable } from './verdicts.js';

export const TOKEN_PATH = '/auth/v2/token';
export const V2_PREFIX = '/investigate/v2';

export interface ApiContext {
  tokens: TokenStore;
  verdicts: VerdictTable;
  legacyToken: string;
}

const ROUTES: { pattern: RegExp; answer: (ctx: ApiContext, domain: string, req: SimRequest) => unknown }[] = [
  {
    pattern: /^\/domains\/categorization\/([^/]+)$/,
    answer: (ctx, domain, req) => categorizationBody(domain, ctx.verdicts.get(domain), req.query.has('showLabels')),
  },
  {
    pattern: /^\/security\/name\/([^/]+)$/,
    answer: (ctx, domain) =>
      securityBody(ctx.verdicts.get(domain), ctx.verdicts.domains().includes(domain.toLowerCase())),
  },
  { pattern: /^\/domains\/risk-score\/([^/]+)$/, answer: (ctx, domain) => riskScoreBody(ctx.verdicts.get(domain)) },
];

/** Answers one API call. */
export function handleApi(ctx: ApiContext, req: SimRequest): SimResponse {
  if (req.path === TOKEN_PATH) return ctx.tokens.issue(req);
  const isV2 = req.path === V2_PREFIX || req.path.startsWith(`${V2_PREFIX}/`);
  const token = bearerToken(req.headers.authorization);
  const authorized = isV2 ? ctx.tokens.valid(token) : token === ctx.legacyToken;
  if (!authorized) throw new SimHttpError(401, 'Unauthorized: missing, invalid or expired bearer token');
  const path = isV2 ? req.path.slice(V2_PREFIX.length) : req.path;
  for (const route of ROUTES) {
    const domain = route.pattern.exec(path)?.[1];
    if (domain === undefined) continue;
    if (req.method !== 'GET') throw new SimHttpError(405, 'Method Not Allowed');
    if (!/^[A-Za-z0-9._-]{1,253}$/.test(domain)) throw new SimHttpError(400, 'Invalid domain');
    return { status: 200, json: route.answer(ctx, domain, req) };
  }
  throw new SimHttpError(404, 'Not Found');
}
