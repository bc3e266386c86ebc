/**
 * The one door to the SMC's flow search: one query at a time, and background work (flow context
 * for alert cards) at most `perMinute` starts in any 60 seconds, so a burst of new incidents never
 * floods the SMC. An operator's `/flows` goes first and does not wait for the minute's budget (it
 * still waits for the query running and counts toward the budget). Background work past
 * `maxQueued` is refused, not kept: a card posts without its flow line. A caller that cannot wait
 * long learns at once when its work will not start at once (`onQueued`).
 */
import { sleep } from '../../integrations/retry.js';

export type FlowPriority = 'interactive' | 'background';

/** Thrown when too much background work waits already. */
export class FlowQueueFullError extends Error {
  constructor() {
    super('too many flow queries are waiting; this one was dropped');
    this.name = 'FlowQueueFullError';
  }
}

/** Thrown to work still waiting when the gate stops (the bot is shutting down). */
export class FlowGateStoppedError extends Error {
  constructor() {
    super('the flow gate stopped');
    this.name = 'FlowGateStoppedError';
  }
}

interface Job {
  priority: FlowPriority;
  run: () => Promise<void>;
  cancel: (reason: Error) => void;
}

export interface RunOptions {
  /**
   * Called before `run` returns when the work cannot start at once: another query runs, work of
   * its priority waits ahead of it, or (background) the minute's budget is spent.
   */
  onQueued?: () => void;
}

export interface FlowGateOptions {
  perMinute: number;
  /** Background jobs waiting at most. Default 200. */
  maxQueued?: number;
  now?: () => number;
  /** Injected for tests; must reject or resolve when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const MINUTE_MS = 60_000;

export class FlowGate {
  private readonly queue: Job[] = [];
  private readonly starts: number[] = [];
  private pumping = false;
  /** A query is running (the pump awaits it). */
  private running = false;
  private wake: (() => void) | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly opts: FlowGateOptions) {}

  /** Background jobs waiting now. */
  get waiting(): number {
    return this.queue.filter((j) => j.priority === 'background').length;
  }

  /** Runs `work` when its turn comes; rejects with {@link FlowQueueFullError} when background work overflows. */
  run<T>(work: () => Promise<T>, priority: FlowPriority, options: RunOptions = {}): Promise<T> {
    if (this.stopping.signal.aborted) return Promise.reject(new FlowGateStoppedError());
    if (priority === 'background' && this.waiting >= (this.opts.maxQueued ?? 200)) {
      return Promise.reject(new FlowQueueFullError());
    }
    if (!this.startsAtOnce(priority)) options.onQueued?.();
    return new Promise<T>((resolve, reject) => {
      const job: Job = { priority, run: () => work().then(resolve, reject), cancel: reject };
      if (priority === 'interactive') {
        const firstBackground = this.queue.findIndex((j) => j.priority === 'background');
        this.queue.splice(firstBackground < 0 ? this.queue.length : firstBackground, 0, job);
      } else {
        this.queue.push(job);
      }
      this.wake?.();
      void this.pump();
    });
  }

  /** Drops waiting work (its callers get an error) and stops. */
  stop(): void {
    this.stopping.abort();
    for (const job of this.queue.splice(0)) job.cancel(new FlowGateStoppedError());
    this.wake?.();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.stopping.signal.aborted) {
        const [next] = this.queue;
        if (!next) break;
        const wait = next.priority === 'interactive' ? 0 : this.waitMs();
        if (wait > 0) {
          await this.pause(wait);
          continue;
        }
        this.queue.shift();
        this.starts.push(this.now());
        this.running = true;
        try {
          await next.run();
        } finally {
          this.running = false;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Whether work of `priority` asked for now would start now. */
  private startsAtOnce(priority: FlowPriority): boolean {
    if (this.running) return false;
    if (priority === 'interactive') return !this.queue.some((j) => j.priority === 'interactive');
    return this.queue.length === 0 && this.waitMs() === 0;
  }

  /** How long until another background start fits the per-minute budget. */
  private waitMs(): number {
    const now = this.now();
    while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - MINUTE_MS) this.starts.shift();
    if (this.starts.length < this.opts.perMinute) return 0;
    return (this.starts[0] ?? now) + MINUTE_MS - now;
  }

  /** Sleeps, or less when an interactive job arrives (or the gate stops). */
  private async pause(ms: number): Promise<void> {
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    const timer = new AbortController();
    await Promise.race([(this.opts.sleep ?? sleep)(ms, timer.signal).catch(() => undefined), woken]);
    timer.abort();
    this.wake = undefined;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
