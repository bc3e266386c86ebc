/**
 * The two-person rule for Block (BLOCK_APPROVAL=two-person): a responder's Block becomes a
 * pending request; a different responder approves it before it expires.
 *
 * An approval is claimed (`approving`, with the approver) before the block runs and marked
 * `approved` once the block is in XDR. A crash in between leaves it `approving`: the start-up
 * sweep (`inFlight`) or the next Approve finishes that block (it is idempotent by external id);
 * a block that failed puts the request back to `pending`, to be approved again.
 */
import { randomBytes } from 'node:crypto';
import type { ActorRecord } from '../incidents/types.js';
import type { Observable } from '../observables/parse.js';
import { z } from 'zod';
import { actorSchema } from '../incidents/schema.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export interface BlockRequest {
  id: string;
  observable: Observable;
  requestedBy: ActorRecord;
  requestedAt: string;
  expiresAt: string;
  ttlMs: number;
  reason: string;
  incidentId?: string | undefined;
  status: 'pending' | 'approving' | 'approved' | 'expired';
  approvedBy?: ActorRecord | undefined;
}

export type ApprovalCheck =
  | { ok: true; request: BlockRequest; resumed: boolean }
  | { ok: false; why: 'unknown' | 'expired' | 'own-request' | 'done'; request?: BlockRequest };

const KEEP_MS = 7 * 24 * 3600 * 1000;
/** Version 2 dropped the in-record `v: 1` nothing read. */
const requestSchema: z.ZodType<BlockRequest> = z.object({
  id: z.string(),
  observable: z.object({
    type: z.enum(['ip', 'ipv6', 'domain', 'url', 'sha256', 'sha1', 'md5', 'email']),
    value: z.string(),
  }),
  requestedBy: actorSchema,
  requestedAt: z.string(),
  expiresAt: z.string(),
  ttlMs: z.number(),
  reason: z.string(),
  incidentId: z.string().optional(),
  status: z.enum(['pending', 'approving', 'approved', 'expired']),
  approvedBy: actorSchema.optional(),
});

export class BlockApprovals {
  private readonly requests: Repository<typeof requestSchema>;
  /** One record: ids of approvals claimed whose block may not have run yet. */
  private readonly approving: Repository<z.ZodArray<z.ZodString>>;

  constructor(
    state: StateStore,
    private readonly approvalTtlMs: number,
  ) {
    this.requests = new Repository(state, {
      prefix: 'block-request',
      schema: requestSchema,
      version: 2,
      ttlMs: KEEP_MS,
    });
    this.approving = new Repository(state, {
      prefix: 'block-requests:approving',
      schema: z.array(z.string()),
      version: 1,
      ttlMs: KEEP_MS,
    });
  }

  async request(
    input: Omit<BlockRequest, 'v' | 'id' | 'requestedAt' | 'expiresAt' | 'status'>,
    now: Date,
  ): Promise<BlockRequest> {
    const request: BlockRequest = {
      id: randomBytes(3).toString('hex'),
      ...input,
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.approvalTtlMs).toISOString(),
      status: 'pending',
    };
    await this.requests.set(request.id, request);
    return request;
  }

  get(id: string): Promise<BlockRequest | undefined> {
    return this.requests.get(id.toLowerCase());
  }

  /**
   * Claims a pending request for `approver`: exactly one approval wins, the requester never
   * approves their own request, and an expired request is marked so.
   */
  claim(id: string, approver: ActorRecord, now: Date): Promise<ApprovalCheck> {
    return this.requests.withLock(id, async () => {
      const request = await this.get(id);
      if (!request) return { ok: false, why: 'unknown' };
      // Claimed before, and its block may not have completed (a crash): finish it.
      if (request.status === 'approving' && request.approvedBy && !sameActor(request.requestedBy, approver)) {
        return { ok: true, request, resumed: true };
      }
      if (request.status !== 'pending')
        return { ok: false, why: request.status === 'expired' ? 'expired' : 'done', request };
      if (Date.parse(request.expiresAt) <= now.getTime()) {
        const expired = { ...request, status: 'expired' as const };
        await this.requests.set(id, expired);
        return { ok: false, why: 'expired', request: expired };
      }
      if (sameActor(request.requestedBy, approver)) return { ok: false, why: 'own-request', request };
      const approving: BlockRequest = { ...request, status: 'approving', approvedBy: approver };
      await this.requests.set(id, approving);
      await this.track(id, true);
      return { ok: true, request: approving, resumed: false };
    });
  }

  /** The block of a claimed request is in XDR: the approval is done. */
  async complete(request: BlockRequest): Promise<void> {
    await this.requests.withLock(request.id, async () => {
      await this.requests.set(request.id, { ...request, status: 'approved' });
      await this.track(request.id, false);
    });
  }

  /** Puts a claimed request back when the block itself failed, so it can be approved again. */
  async release(request: BlockRequest): Promise<void> {
    await this.requests.withLock(request.id, async () => {
      const { approvedBy: _approver, ...rest } = request;
      await this.requests.set(request.id, { ...rest, status: 'pending' });
      await this.track(request.id, false);
    });
  }

  /** Approvals claimed whose block may not have run (a crash between approval and XDR). */
  async inFlight(): Promise<BlockRequest[]> {
    const ids = (await this.approving.get()) ?? [];
    const requests = await this.requests.getMany(ids);
    return requests.filter((r): r is BlockRequest => r?.status === 'approving' && r.approvedBy !== undefined);
  }

  private async track(id: string, inFlight: boolean): Promise<void> {
    await this.approving.withLock('', async () => {
      const ids = new Set((await this.approving.get()) ?? []);
      if (inFlight) ids.add(id);
      else ids.delete(id);
      await this.approving.set('', [...ids]);
    });
  }
}

function sameActor(a: ActorRecord, b: ActorRecord): boolean {
  return a.id === b.id || (!!a.email && !!b.email && a.email.toLowerCase() === b.email.toLowerCase());
}
