/**
 * CTIM checks for what the relay answers: the XDR simulator's create schemas (written from CTIM
 * 1.3 and the CTIA sources, closed objects), plus the fields a stored or module-made entity must
 * carry (`id`, `type`, `schema_version`).
 */
import { z } from 'zod';
import { newJudgementSchema, newSightingSchema } from '../../sandbox/xdr/ctia/schemas.js';

const entity = { id: z.string().min(1), schema_version: z.string().regex(/^\d+\.\d+\.\d+$/) };

export const moduleSightingSchema = newSightingSchema.extend({ ...entity, type: z.literal('sighting') });
export const moduleJudgementSchema = newJudgementSchema.extend({
  ...entity,
  type: z.literal('judgement'),
  disposition: z.int().min(1).max(5),
  disposition_name: z.enum(['Clean', 'Malicious', 'Suspicious', 'Common', 'Unknown']),
});

/** The issues of `doc` against `schema`, as `path: message` lines (empty when it is valid). */
export function ctimIssues(schema: z.ZodType, doc: unknown): string[] {
  const result = schema.safeParse(doc);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
