/**
 * Who is in the alert space (WEBEX_ALERT_ROOM_ID): with BOT_OPERATORS empty, its members are the
 * operators. The list comes from Webex memberships, is kept in state (so every replica sees the
 * same one) for at most `refreshMs`, and is dropped at once when Webex reports a membership change
 * in that space. A person who leaves the space loses operator rights on the next refresh.
 */
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export interface SpaceMember {
  personId: string;
  personEmail?: string | undefined;
}

const cachedSchema = z.object({ personIds: z.array(z.string()), at: z.string() });

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
  /** The member list of each space, by room id, for at most `refreshMs`. */
  private readonly lists: Repository<typeof cachedSchema>;

  constructor(private readonly opts: AlertSpaceOptions) {
    this.lists = new Repository(opts.state, {
      prefix: 'members',
      schema: cachedSchema,
      version: 1,
      ttlMs: opts.refreshMs ?? MEMBERS_REFRESH_MS,
    });
  }

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
    await this.lists.delete(this.opts.roomId);
  }

  private async members(): Promise<Set<string>> {
    const cached = await this.lists.get(this.opts.roomId);
    if (cached) return new Set(cached.personIds);
    // One fetch at a time per process, however many people ask at once.
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetch(): Promise<Set<string>> {
    const members = await this.opts.list(this.opts.roomId);
    const personIds = members.map((m) => m.personId);
    await this.lists.set(this.opts.roomId, { personIds, at: this.opts.now().toISOString() });
    return new Set(personIds);
  }
}
