/**
 * Which replica polls the SMC and delivers cards: the holder of a lease in the state store,
 * renewed well before it expires. When the leader dies its lease runs out and another
 * replica takes over within LEADER_LEASE_SECONDS. With SQLite or memory there is one process
 * and it always leads.
 */
import type { Logger } from '../log.js';
import type { Lease } from './coordination.js';

export class Leadership {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private readonly listeners: Array<(leading: boolean) => void> = [];

  constructor(
    private readonly lease: Lease,
    private readonly opts: { ttlMs: number; log: Logger; checkEveryMs?: number },
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  get holder(): string {
    return this.lease.holder;
  }

  onChange(listener: (leading: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Tries at once, then keeps renewing (as leader) or trying (as standby). */
  async start(): Promise<void> {
    await this.check();
    const every = this.opts.checkEveryMs ?? Math.max(200, Math.min(2000, this.opts.ttlMs / 3));
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.leading) await this.lease.release();
    this.set(false);
  }

  private async check(): Promise<void> {
    let leading: boolean;
    try {
      leading = await this.lease.acquireOrRenew();
    } catch (err) {
      this.opts.log.warn({ err }, 'could not reach the state store to renew leadership; standing by');
      leading = false;
    }
    this.set(leading);
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.opts.log.info(
      { holder: this.lease.holder },
      leading ? 'this replica now leads (polls and delivers)' : 'this replica stands by',
    );
    for (const listener of this.listeners) listener(leading);
  }
}
