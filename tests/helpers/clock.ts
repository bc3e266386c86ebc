/** The bot's clock for a test: real time, moved forward on demand (TTLs and expiries without waiting). */
export function testClock(): { now: () => Date; advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}
