/**
 * Every response attempt, allowed or not, succeeded or not: who, what, which target, the
 * outcome, upstream ids, when. Kept in state for `/audit` and `/history`.
 */
import type { StateStore } from '../state/store.js';

export type AuditOutcome = 'done' | 'already' | 'refused' | 'denied' | 'failed' | 'requested' | 'expired';

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { id: string; name: string; email?: string | undefined };
  action: string;
  /** `ip:1.2.3.4`, `host:10.0.0.5`, `incident:abcd1234`. */
  target: string;
  outcome: AuditOutcome;
  detail?: string | undefined;
  incidentId?: string | undefined;
  upstreamIds?: string[] | undefined;
}

const RETENTION_MS = 90 * 24 * 3600 * 1000;
const PER_TARGET = 50;
const SEQ_KEY = 'audit:seq';
const entryKey = (seq: number) => `audit:entry:${seq}`;
const targetKey = (target: string) => `audit:target:${target}`;
const onceKey = (key: string) => `audit:once:${key}`;

export class AuditLog {
  constructor(
    private readonly state: StateStore,
    private readonly onRecord?: (entry: AuditEntry) => void,
  ) {}

  /**
   * Appends an entry. With `once`, an entry recorded before under the same key is returned instead
   * of a second one (bookkeeping retried after a state-store failure records one outcome).
   */
  async record(entry: Omit<AuditEntry, 'seq' | 'at'> & { at?: string; once?: string }): Promise<AuditEntry> {
    const { once, ...fields } = entry;
    return this.state.withLock('audit', async () => {
      if (once) {
        const earlier = await this.state.get<number>(onceKey(once));
        const found = earlier === undefined ? undefined : await this.state.get<AuditEntry>(entryKey(earlier));
        if (found) return found;
      }
      const seq = ((await this.state.get<number>(SEQ_KEY)) ?? 0) + 1;
      await this.state.set(SEQ_KEY, seq);
      const full: AuditEntry = { ...fields, seq, at: fields.at ?? new Date().toISOString() };
      await this.state.set(entryKey(seq), full, RETENTION_MS);
      const index = (await this.state.get<number[]>(targetKey(fields.target))) ?? [];
      await this.state.set(targetKey(fields.target), [...index, seq].slice(-PER_TARGET), RETENTION_MS);
      if (once) await this.state.set(onceKey(once), seq, RETENTION_MS);
      this.onRecord?.(full);
      return full;
    });
  }

  /** The newest `count` entries, newest first. */
  async recent(count: number): Promise<AuditEntry[]> {
    const last = (await this.state.get<number>(SEQ_KEY)) ?? 0;
    const seqs = Array.from({ length: Math.min(count, last) }, (_, i) => last - i);
    return present(await this.state.getMany<AuditEntry>(seqs.map(entryKey)));
  }

  /** Entries about one target, newest first. */
  async forTarget(target: string, count = 20): Promise<AuditEntry[]> {
    const seqs = ((await this.state.get<number[]>(targetKey(target))) ?? []).slice(-count).reverse();
    return present(await this.state.getMany<AuditEntry>(seqs.map(entryKey)));
  }
}

function present(entries: Array<AuditEntry | undefined>): AuditEntry[] {
  return entries.filter((e): e is AuditEntry => e !== undefined);
}
