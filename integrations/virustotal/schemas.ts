/** Wire schemas of VirusTotal v3 (api-contracts.md §7). */
import { z } from 'zod';

const COUNT = z.int().min(0);

/** `GET /files|ip_addresses|domains|urls/{id}`; only the fields we read. */
export const objectResponseSchema = z.object({
  data: z.object({
    /** Becomes a path segment of the GUI link: no slashes, no spaces. */
    id: z.string().regex(/^[A-Za-z0-9._:-]{1,256}$/, 'not a VirusTotal object id'),
    type: z.enum(['file', 'ip_address', 'domain', 'url']),
    attributes: z.object({
      last_analysis_stats: z.object({
        harmless: COUNT,
        malicious: COUNT,
        suspicious: COUNT,
        undetected: COUNT,
        timeout: COUNT.optional(),
      }),
      reputation: z.number().nullish(),
      last_analysis_date: z.int().min(0).nullish(),
    }),
  }),
});

/** Error bodies: `{"error": {"code": "NotFoundError", "message": "…"}}`. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string().max(100), message: z.string().optional() }),
});

export type WireObject = z.infer<typeof objectResponseSchema>['data'];
