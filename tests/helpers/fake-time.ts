/**
 * A clock and a sleep the test moves by hand, for the parts that take both (the flow gate):
 * sleepers wake when the clock passes their time, or when their signal aborts.
 */
export function fakeTime(start = 0): {
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  advance(ms: number): void;
} {
  let now = start;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        sleepers.push({ until: now + ms, wake: resolve });
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    advance(ms) {
      now += ms;
      for (const s of sleepers.splice(0))
        if (s.until <= now) s.wake();
        else sleepers.push(s);
    },
  };
}
