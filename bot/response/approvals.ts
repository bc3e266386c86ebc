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
import type { StateStore } from '../state/store.js';

export interface BlockRequest {
  v: 1;
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
const key = (id: string) => `block-request:${id}`;
/** Ids of approvals claimed whose block may not have run yet. */
const IN_FLIGHT = 'block-requests:approving';

export class BlockApprovals {
  constructor(
    private readonly state: StateStore,
    private readonly approvalTtlMs: number,
  ) {}

  async request(
    input: Omit<BlockRequest, 'v' | 'id' | 'requestedAt' | 'expiresAt' | 'status'>,
    now: Date,
  ): Promise<BlockRequest> {
    const request: BlockRequest = {
      v: 1,
      id: randomBytes(3).toString('hex'),
      ...input,
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.approvalTtlMs).toISOString(),
      status: 'pending',
    };
    await this.state.set(key(request.id), request, KEEP_MS);
    return request;
  }

  get(id: string): Promise<BlockRequest | undefined> {
    return this.state.get<BlockRequest>(key(id.toLowerCase()));
  }

  /**
   * Claims a pending request for `approver`: exactly one approval wins, the requester never
   * approves their own request, and an expired request is marked so.
   */
  claim(id: string, approver: ActorRecord, now: Date): Promise<ApprovalCheck> {
    return this.state.withLock(`block-request:${id}`, async () => {
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
        await this.state.set(key(id), expired, KEEP_MS);
        return { ok: false, why: 'expired', request: expired };
      }
      if (sameActor(request.requestedBy, approver)) return { ok: false, why: 'own-request', request };
      const approving: BlockRequest = { ...request, status: 'approving', approvedBy: approver };
      await this.state.set(key(id), approving, KEEP_MS);
      await this.track(id, true);
      return { ok: true, request: approving, resumed: false };
    });
  }

  /** The block of a claimed request is in XDR: the approval is done. */
  async complete(request: BlockRequest): Promise<void> {
    await this.state.withLock(`block-request:${request.id}`, async () => {
      await this.state.set(key(request.id), { ...request, status: 'approved' } satisfies BlockRequest, KEEP_MS);
      await this.track(request.id, false);
    });
  }

  /** Puts a claimed request back when the block itself failed, so it can be approved again. */
  async release(request: BlockRequest): Promise<void> {
    await this.state.withLock(`block-request:${request.id}`, async () => {
      const { approvedBy: _approver, ...rest } = request;
      await this.state.set(key(request.id), { ...rest, status: 'pending' } satisfies BlockRequest, KEEP_MS);
      await this.track(request.id, false);
    });
  }

  /** Approvals claimed whose block may not have run (a crash between approval and XDR). */
  async inFlight(): Promise<BlockRequest[]> {
    const ids = (await this.state.get<string[]>(IN_FLIGHT)) ?? [];
    const requests = await this.state.getMany<BlockRequest>(ids.map(key));
    return requests.filter((r): r is BlockRequest => r?.status === 'approving' && r.approvedBy !== undefined);
  }

  private async track(id: string, inFlight: boolean): Promise<void> {
    await this.state.withLock(IN_FLIGHT, async () => {
      const ids = new Set((await this.state.get<string[]>(IN_FLIGHT)) ?? []);
      if (inFlight) ids.add(id);
      else ids.delete(id);
      await this.state.set(IN_FLIGHT, [...ids], KEEP_MS);
    });
  }
}

function sameActor(a: ActorRecord, b: ActorRecord): boolean {
  return a.id === b.id || (!!a.email && !!b.email && a.email.toLowerCase() === b.email.toLowerCase());
}
