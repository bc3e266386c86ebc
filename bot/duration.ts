/** Durations as operators type them: `30m`, `12h`, `7d`, `2w` (and plain seconds). */

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds for `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d{1,6})\s*([smhdw]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] || 's').toLowerCase();
  const ms = amount * (UNITS[unit] ?? 1_000);
  return ms > 0 ? ms : undefined;
}

/** `7d`, `12h`, `30m` — the largest whole unit. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['w', UNITS.w],
    ['d', UNITS.d],
    ['h', UNITS.h],
    ['m', UNITS.m],
  ] as const) {
    if (size && ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
