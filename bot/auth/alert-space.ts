/**
 * Who is in the alert space (WEBEX_ALERT_ROOM_ID): with BOT_OPERATORS empty, its members are the
 * operators. The list comes from Webex memberships, is kept in state (so every replica sees the
 * same one) for at most `refreshMs`, and is dropped at once when Webex reports a membership change
 * in that space. A person who leaves the space loses operator rights on the next refresh.
 */
import type { StateStore } from '../state/store.js';

export interface SpaceMember {
  personId: string;
  personEmail?: string | undefined;
}

interface CachedMembers {
  personIds: string[];
  at: string;
}

export interface AlertSpaceOptions {
  roomId: string;
  /** Lists the space's members (Webex `GET /memberships?roomId=`). */
  list: (roomId: string) => Promise<SpaceMember[]>;
  state: StateStore;
  /** How long a fetched list is trusted. Default five minutes. */
  refreshMs?: number;
  now: () => Date;
}

export const MEMBERS_REFRESH_MS = 5 * 60_000;

export class AlertSpaceMembers {
  private loading: Promise<Set<string>> | undefined;

  constructor(private readonly opts: AlertSpaceOptions) {}

  get roomId(): string {
    return this.opts.roomId;
  }

  /** True when the person is a member of the alert space now (as of the last refresh). */
  async has(personId: string): Promise<boolean> {
    return (await this.members()).has(personId);
  }

  /** Forgets the list: the next question fetches it again (a membership in the space changed). */
  async invalidate(): Promise<void> {
    this.loading = undefined;
    await this.opts.state.delete(this.key());
  }

  private async members(): Promise<Set<string>> {
    const cached = await this.opts.state.get<CachedMembers>(this.key());
    if (cached && Array.isArray(cached.personIds)) return new Set(cached.personIds);
    // One fetch at a time per process, however many people ask at once.
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetch(): Promise<Set<string>> {
    const members = await this.opts.list(this.opts.roomId);
    const personIds = members.map((m) => m.personId);
    const record: CachedMembers = { personIds, at: this.opts.now().toISOString() };
    await this.opts.state.set(this.key(), record, this.opts.refreshMs ?? MEMBERS_REFRESH_MS);
    return new Set(personIds);
  }

  private key(): string {
    return `members:${this.opts.roomId}`;
  }
}
