/**
 * Digests kept in state: what each one names (the card input, a row per incident), which Webex
 * messages show it (the card, then the pages of its list), and which incidents each of those
 * messages names. A press on a digest's button is judged by the message pressed, never by the
 * card's data: an incident counts as shown there only if that very message names it.
 */
import { createHash } from 'node:crypto';
import type { DigestCardInput } from '../../cards/types.js';
import type { StateStore } from '../state/store.js';

export interface DigestRecord {
  v: 1;
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
const recordKey = (id: string) => `digest:${id}`;
const viewKey = (messageId: string) => `digest-view:${messageId}`;

export class DigestStore {
  constructor(private readonly state: StateStore) {}

  get(id: string): Promise<DigestRecord | undefined> {
    return this.state.get<DigestRecord>(recordKey(id));
  }

  /** Saves a new digest; a replay of the same batch (same id) keeps the first. True when it was new. */
  create(id: string, input: DigestCardInput): Promise<boolean> {
    return this.state.withLock(recordKey(id), async () => {
      if (await this.get(id)) return false;
      await this.state.set<DigestRecord>(recordKey(id), { v: 1, id, input, pages: {} }, RETENTION_MS);
      return true;
    });
  }

  /** Remembers a posted message of the digest and the incidents it names. */
  async recordMessage(id: string, part: DigestView['part'], messageId: string, incidentIds: string[]): Promise<void> {
    await this.state.set<DigestView>(viewKey(messageId), { digestId: id, part, incidentIds }, RETENTION_MS);
    await this.state.withLock(recordKey(id), async () => {
      const record = await this.get(id);
      if (!record) return;
      if (part === 'card') record.messageId = messageId;
      else record.pages[String(part)] = messageId;
      await this.state.set(recordKey(id), record, RETENTION_MS);
    });
  }

  /** The digest message `messageId` is, if it is one. */
  view(messageId: string): Promise<DigestView | undefined> {
    return this.state.get<DigestView>(viewKey(messageId));
  }
}

/** Stable for the same set of incidents, so replaying a batch after a crash finds the same digest. */
export function digestIdFor(incidentIds: readonly string[]): string {
  const hash = createHash('sha256')
    .update([...incidentIds].sort().join(','))
    .digest('hex');
  return `d${hash.slice(0, 15)}`;
}
