/**
 * The two-person rule for Block (BLOCK_APPROVAL=two-person): a responder's Block becomes a
 * pending request; a different responder approves it before it expires.
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
  status: 'pending' | 'approved' | 'expired';
}

export type ApprovalCheck =
  | { ok: true; request: BlockRequest }
  | { ok: false; why: 'unknown' | 'expired' | 'own-request' | 'done'; request?: BlockRequest };

const KEEP_MS = 7 * 24 * 3600 * 1000;
const key = (id: string) => `block-request:${id}`;

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
      if (request.status !== 'pending')
        return { ok: false, why: request.status === 'expired' ? 'expired' : 'done', request };
      if (Date.parse(request.expiresAt) <= now.getTime()) {
        const expired = { ...request, status: 'expired' as const };
        await this.state.set(key(id), expired, KEEP_MS);
        return { ok: false, why: 'expired', request: expired };
      }
      if (sameActor(request.requestedBy, approver)) return { ok: false, why: 'own-request', request };
      const approved = { ...request, status: 'approved' as const };
      await this.state.set(key(id), approved, KEEP_MS);
      return { ok: true, request: approved };
    });
  }

  /** Puts a claimed request back when the block itself failed, so it can be approved again. */
  async release(request: BlockRequest): Promise<void> {
    await this.state.set(key(request.id), { ...request, status: 'pending' }, KEEP_MS);
  }
}

function sameActor(a: ActorRecord, b: ActorRecord): boolean {
  return a.id === b.id || (!!a.email && !!b.email && a.email.toLowerCase() === b.email.toLowerCase());
}
