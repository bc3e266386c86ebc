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

export class AuditLog {
  constructor(
    private readonly state: StateStore,
    private readonly onRecord?: (entry: AuditEntry) => void,
  ) {}

  async record(entry: Omit<AuditEntry, 'seq' | 'at'> & { at?: string }): Promise<AuditEntry> {
    return this.state.withLock('audit', async () => {
      const seq = ((await this.state.get<number>(SEQ_KEY)) ?? 0) + 1;
      const full: AuditEntry = { ...entry, seq, at: entry.at ?? new Date().toISOString() };
      await this.state.set(entryKey(seq), full, RETENTION_MS);
      const index = (await this.state.get<number[]>(targetKey(entry.target))) ?? [];
      await this.state.set(targetKey(entry.target), [...index, seq].slice(-PER_TARGET), RETENTION_MS);
      await this.state.set(SEQ_KEY, seq);
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
