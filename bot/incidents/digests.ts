/**
 * Digests kept in state: what each one names (the card input, a row per incident), which Webex
 * messages show it (the card, then the pages of its list), and which incidents each of those
 * messages names. A press on a digest's button is judged by the message pressed, never by the
 * card's data: an incident counts as shown there only if that very message names it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DigestCardInput, DigestRow } from '../../cards/types.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export interface DigestRecord {
  id: string;
  input: DigestCardInput;
  /** The digest card, once posted. */
  messageId?: string | undefined;
  /** List pages posted so far: page index → message id. */
  pages: Record<string, string>;
}

/** One posted message of a digest: the card (`part` 'card') or a list page (its index). */
export interface DigestView {
  digestId: string;
  part: 'card' | number;
  incidentIds: string[];
}

/** As long as the incidents a digest names. */
const RETENTION_MS = 30 * 24 * 3600 * 1000;

const digestRowSchema: z.ZodType<DigestRow> = z.object({
  incidentId: z.string(),
  host: z.string(),
  hostGroup: z.string().optional(),
  eventName: z.string(),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  points: z.number().optional(),
  peer: z.string().optional(),
  otherPeers: z.number().optional(),
  eventCount: z.number(),
});

export const digestInputSchema: z.ZodType<DigestCardInput> = z.object({
  incidents: z.array(digestRowSchema),
  window: z.object({ from: z.string(), to: z.string() }),
  generatedAt: z.string(),
});

const digestRecordSchema: z.ZodType<DigestRecord> = z.object({
  id: z.string(),
  input: digestInputSchema,
  messageId: z.string().optional(),
  pages: z.record(z.string(), z.string()),
});

const digestViewSchema: z.ZodType<DigestView> = z.object({
  digestId: z.string(),
  part: z.union([z.literal('card'), z.number()]),
  incidentIds: z.array(z.string()),
});

export class DigestStore {
  private readonly records: Repository<typeof digestRecordSchema>;
  /** Posted digest messages (card or list page), by Webex message id. */
  private readonly views: Repository<typeof digestViewSchema>;

  constructor(state: StateStore) {
    this.records = new Repository(state, {
      prefix: 'digest',
      schema: digestRecordSchema,
      version: 2,
      ttlMs: RETENTION_MS,
    });
    this.views = new Repository(state, {
      prefix: 'digest-view',
      schema: digestViewSchema,
      version: 1,
      ttlMs: RETENTION_MS,
    });
  }

  get(id: string): Promise<DigestRecord | undefined> {
    return this.records.get(id);
  }

  /** Saves a new digest; a replay of the same batch (same id) keeps the first. True when it was new. */
  create(id: string, input: DigestCardInput): Promise<boolean> {
    return this.records.withLock(id, async () => {
      if (await this.get(id)) return false;
      await this.records.set(id, { id, input, pages: {} });
      return true;
    });
  }

  /** Remembers a posted message of the digest and the incidents it names. */
  async recordMessage(id: string, part: DigestView['part'], messageId: string, incidentIds: string[]): Promise<void> {
    await this.views.set(messageId, { digestId: id, part, incidentIds });
    await this.records.withLock(id, async () => {
      const record = await this.get(id);
      if (!record) return;
      if (part === 'card') record.messageId = messageId;
      else record.pages[String(part)] = messageId;
      await this.records.set(id, record);
    });
  }

  /** The digest message `messageId` is, if it is one. */
  view(messageId: string): Promise<DigestView | undefined> {
    return this.views.get(messageId);
  }
}

/** Stable for the same set of incidents, so replaying a batch after a crash finds the same digest. */
export function digestIdFor(incidentIds: readonly string[]): string {
  const hash = createHash('sha256')
    .update([...incidentIds].sort().join(','))
    .digest('hex');
  return `d${hash.slice(0, 15)}`;
}
