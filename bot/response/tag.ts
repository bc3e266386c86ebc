/**
 * Tag: puts an inside host into an SMC host group (for quarantine policies and analysis).
 * The SMC has no add-one-address call, so it is a read-modify-write of the group's
 * `ranges`, serialized per group so two operators never lose each other's change, and
 * verified in the SMC's answer.
 */
import type { SnaHostGroup } from '../../integrations/sna/client.js';
import { z } from 'zod';
import { type LockHandle, withLockRetried } from '../state/coordination.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import { userText } from '../../cards/format.js';
import { UserInputError } from '../errors.js';
import { canonicalIp } from '../observables/ip.js';

/** The SMC calls the bot needs for tagging (SnaClient provides them). */
export interface HostGroupApi {
  listHostGroups(tenantId: number): Promise<Array<{ id: number; name: string }>>;
  getHostGroup(tenantId: number, id: number): Promise<SnaHostGroup>;
  createHostGroup(
    tenantId: number,
    group: { name: string; location: 'INSIDE' | 'OUTSIDE'; parentId: number; description?: string; ranges?: string[] },
  ): Promise<SnaHostGroup>;
  replaceHostGroup(tenantId: number, group: SnaHostGroup): Promise<SnaHostGroup>;
}

export interface TagResult {
  status: 'tagged' | 'already-tagged' | 'untagged' | 'not-tagged';
  group: { id: number; name: string };
}

export class TagService {
  constructor(
    private readonly opts: {
      sna: HostGroupApi;
      tenantId: () => Promise<number>;
      defaultGroup: string;
      parentId: number;
      /** Where the per-group locks live (across replicas when state is on Redis). */
      state: StateStore;
    },
  ) {
    this.groups = new Repository(opts.state, { prefix: 'hostgroup', schema: z.never(), version: 1 });
  }

  /** Only its locks: a read-modify-write of a group is serialized per group id (and `create`). */
  private readonly groups: Repository<z.ZodNever>;

  private lock<T>(id: string, work: (lock: LockHandle) => Promise<T>): Promise<T> {
    return this.groups.withLock(id, work);
  }

  get defaultGroup(): string {
    return this.opts.defaultGroup;
  }

  /** Adds `ip` to the host group (the default one is created on first use). */
  tag(ip: string, groupName = this.opts.defaultGroup): Promise<TagResult> {
    return this.change(ip, groupName, 'add');
  }

  /** Removes `ip` from the host group. */
  untag(ip: string, groupName = this.opts.defaultGroup): Promise<TagResult> {
    return this.change(ip, groupName, 'remove');
  }

  private async change(ip: string, groupName: string, op: 'add' | 'remove'): Promise<TagResult> {
    const tenantId = await this.opts.tenantId();
    const summary = await this.findGroup(tenantId, groupName, op === 'add');
    // The lock is renewed while the SMC answers (its GET and PUT can take many seconds), and the
    // PUT is fenced: a holder that lost the lock re-reads the group instead of overwriting it.
    return withLockRetried(
      (id, w) => this.lock(id, w),
      String(summary.id),
      async (lock) => {
        const group = await this.opts.sna.getHostGroup(tenantId, summary.id);
        const ref = { id: group.id, name: group.name };
        // The group may hold the address in another spelling (`::ffff:10.0.0.1`, upper-case IPv6).
        const same = (range: string) => (canonicalIp(range)?.value ?? range) === ip;
        const present = group.ranges.some(same);
        if (op === 'add' && present) return { status: 'already-tagged', group: ref };
        if (op === 'remove' && !present) return { status: 'not-tagged', group: ref };
        const ranges = op === 'add' ? [...group.ranges, ip] : group.ranges.filter((r) => !same(r));
        await lock.assertHeld();
        const stored = await this.opts.sna.replaceHostGroup(tenantId, { ...group, ranges });
        if (stored.ranges.some(same) !== (op === 'add')) {
          throw new Error(
            `the SMC answered the host-group update without ${op === 'add' ? 'adding' : 'removing'} ${ip}`,
          );
        }
        return { status: op === 'add' ? 'tagged' : 'untagged', group: ref };
      },
    );
  }

  private async findGroup(
    tenantId: number,
    name: string,
    createDefault: boolean,
  ): Promise<{ id: number; name: string }> {
    const wanted = name.trim().toLowerCase();
    const existing = (await this.opts.sna.listHostGroups(tenantId)).find((g) => g.name.toLowerCase() === wanted);
    if (existing) return existing;
    if (!createDefault || wanted !== this.opts.defaultGroup.toLowerCase()) {
      throw new UserInputError(
        `There is no host group named "${userText(name, 80)}" in the SMC.`,
        `no host group named "${name.slice(0, 80)}"`,
      );
    }
    return this.lock('create', async () => {
      const again = (await this.opts.sna.listHostGroups(tenantId)).find((g) => g.name.toLowerCase() === wanted);
      if (again) return again;
      const created = await this.opts.sna.createHostGroup(tenantId, {
        name: this.opts.defaultGroup,
        location: 'INSIDE',
        parentId: this.opts.parentId,
        description: 'Hosts tagged from Webex by SNA ChatOps',
        ranges: [],
      });
      return { id: created.id, name: created.name };
    });
  }
}
