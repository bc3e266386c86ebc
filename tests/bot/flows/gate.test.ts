/** The flow gate: one SMC flow query at a time, a per-minute budget for background work, operators first. */
import { describe, expect, it } from 'vitest';
import { FlowGate, FlowQueueFullError } from '../../../bot/flows/gate.js';
import { fakeTime } from '../../helpers/fake-time.js';

/** A job that records when it starts and finishes when the test says. */
function job(log: string[], name: string) {
  let finish = (): void => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const run = async () => {
    log.push(`start ${name}`);
    await done;
    log.push(`end ${name}`);
    return name;
  };
  return { run, finish: () => finish() };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('FlowGate', () => {
  it('runs one query at a time', async () => {
    const log: string[] = [];
    const gate = new FlowGate({ perMinute: 10 });
    const a = job(log, 'a');
    const b = job(log, 'b');
    const pa = gate.run(a.run, 'background');
    const pb = gate.run(b.run, 'background');
    await settle();
    expect(log).toEqual(['start a']);
    a.finish();
    await pa;
    await settle();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b.finish();
    expect(await pb).toBe('b');
  });

  it('starts at most the per-minute budget of background queries in a minute, then the rest as the minute passes', async () => {
    const time = fakeTime();
    const log: string[] = [];
    const gate = new FlowGate({ perMinute: 2, now: time.now, sleep: time.sleep });
    const jobs = ['a', 'b', 'c', 'd'].map((n) => job(log, n));
    for (const j of jobs) j.finish();
    const all = jobs.map((j) => gate.run(j.run, 'background'));
    await Promise.all(all.slice(0, 2));
    await settle();
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start b']);
    time.advance(59_999);
    await settle();
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(2);
    time.advance(1);
    await Promise.all(all);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d']);
  });

  it("runs an operator's query ahead of waiting background work, without waiting for the minute", async () => {
    const time = fakeTime();
    const log: string[] = [];
    const gate = new FlowGate({ perMinute: 1, now: time.now, sleep: time.sleep });
    const [a, b, op] = [job(log, 'a'), job(log, 'b'), job(log, 'operator')];
    a.finish();
    b.finish();
    op.finish();
    const first = gate.run(a.run, 'background');
    const second = gate.run(b.run, 'background');
    await first;
    const asked = gate.run(op.run, 'interactive');
    expect(await asked).toBe('operator');
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start operator']);
    time.advance(60_000);
    await second;
  });

  it('tells a caller at once when its work cannot start at once: a query runs, or the minute is spent', async () => {
    const time = fakeTime();
    const gate = new FlowGate({ perMinute: 2, now: time.now, sleep: time.sleep });
    const queued: string[] = [];
    const ask = (name: string, priority: 'interactive' | 'background' = 'background') => {
      const j = job([], name);
      return { done: gate.run(j.run, priority, { onQueued: () => queued.push(name) }), finish: j.finish };
    };
    const a = ask('a');
    expect(queued).toEqual([]);
    const b = ask('b');
    expect(queued).toEqual(['b']);
    a.finish();
    b.finish();
    await Promise.all([a.done, b.done]);
    await settle();
    // Idle, but both of this minute's background starts are taken; an operator's query still starts.
    const c = ask('c');
    expect(queued).toEqual(['b', 'c']);
    const op = ask('operator', 'interactive');
    expect(queued).toEqual(['b', 'c']);
    op.finish();
    await op.done;
    c.finish();
    time.advance(60_000);
    await c.done;
  });

  it('refuses background work past the queue bound instead of keeping it', async () => {
    const gate = new FlowGate({ perMinute: 1, maxQueued: 2, sleep: () => new Promise(() => {}) });
    const hold = job([], 'hold');
    const waiting = [
      gate.run(hold.run, 'background'),
      gate.run(() => Promise.resolve(1), 'background'),
      gate.run(() => Promise.resolve(2), 'background'),
    ];
    await expect(gate.run(() => Promise.resolve(3), 'background')).rejects.toBeInstanceOf(FlowQueueFullError);
    gate.stop();
    hold.finish();
    // Stopping drops what still waited: its callers hear so instead of waiting for ever.
    const outcomes = await Promise.allSettled(waiting);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  });
});
