/** The IROH routes of the simulator: inspect and the three enrich calls (api-contracts.md §3). */
import { z } from 'zod';
import { describeIssues } from '../ctia/validation.js';
import { notFound, parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from '../http.js';
import { deliberate, type EnrichContext, observe, refer } from './enrich.js';
import { inspectText } from './inspect.js';

const inspectBodySchema = z.strictObject({ content: z.string() });
const observablesSchema = z
  .array(z.strictObject({ type: z.string().min(1).max(64), value: z.string().min(1).max(4096) }))
  .max(100);

const ENRICH = { deliberate, observe, refer } as const;

/** Answers an authenticated request under `/iroh/` (the token endpoint is handled before auth). */
export function handleIroh(req: SimRequest, ctx: EnrichContext): SimResponse {
  if (req.method === 'POST' && req.path === '/iroh/iroh-inspect/inspect') {
    const body = parseJsonBody(req.body);
    const parsed = inspectBodySchema.safeParse(body);
    if (!parsed.success) throw new SimHttpError(400, describeIssues(parsed.error.issues));
    return { status: 200, json: inspectText(parsed.data.content) };
  }
  const enrich = /^\/iroh\/iroh-enrich\/(deliberate|observe|refer)\/observables$/.exec(req.path)?.[1];
  if (req.method === 'POST' && (enrich === 'deliberate' || enrich === 'observe' || enrich === 'refer')) {
    const parsed = observablesSchema.safeParse(parseJsonBody(req.body));
    if (!parsed.success) throw new SimHttpError(400, { errors: describeIssues(parsed.error.issues) });
    return { status: 200, json: ENRICH[enrich](parsed.data, ctx) };
  }
  throw notFound(`route ${req.method} ${req.path}`);
}
